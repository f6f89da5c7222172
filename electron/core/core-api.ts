import type { BridgeHost } from '../../shared/bridge/contract.ts';
import type { Call } from '../../shared/model/line-table.ts';

/**
 * What the composed core offers to its two hosts: the Electron shell (`electron/main.ts`)
 * and the browser target (`callbridge serve`). Both see the same thing.
 */
export interface CoreOptions {
  /** Profile folder: settings.json, history.sqlite. Created with owner-only permissions. */
  readonly profileDir: string;
  /** Overrides the saved listen port for this run; 0 picks a free port. */
  readonly listenPort?: number;
}

export interface IncomingCallAlert {
  readonly line: number;
  readonly call: Call;
}

export interface Core {
  readonly bridge: BridgeHost;
  /** Fires once per call when it starts ringing; the shell turns it into a notification. */
  onIncomingCall(listener: (alert: IncomingCallAlert) => void): () => void;
  /** The port the listen port actually bound, or null when it could not bind. */
  listenPort(): number | null;
  /** Problems found while starting (corrupt settings file, port in use), one line each. */
  readonly warnings: readonly string[];
  close(): Promise<void>;
}
