import type { BridgeHost, DoorsView } from '../../shared/bridge/contract.ts';
import type { DoorId } from '../../shared/doors/registry.ts';
import type { Call } from '../../shared/model/line-table.ts';
import type { ExtensionType } from '../../shared/model/settings.ts';
import type { EngineHost } from './engine-host.ts';
import type { SecretCodec } from './store/secret-store.ts';
import type { OpenExternal } from './system-open.ts';

/**
 * What the composed core offers to its two hosts: the Electron shell (`electron/main.ts`)
 * and the browser target (`callbridge serve`). Both see the same thing.
 */
export interface CoreOptions {
  /** Profile folder: settings.json, history.sqlite. Created with owner-only permissions. */
  readonly profileDir: string;
  /**
   * How secrets are kept at rest in the profile's secrets.json: Electron's safeStorage in
   * the app, in the clear behind owner-only permissions in the browser target.
   */
  readonly secretCodec: SecretCodec;
  /** Ports that override a door's saved port for this run (`serve --listen-port`); 0 picks a free one. */
  readonly portOverrides?: Partial<Record<DoorId, number>>;
  /**
   * How a URL reaches the system's handler: Electron's `shell.openExternal` in the app;
   * by default the platform's opener (xdg-open, open, the URL association) as a process.
   */
  readonly openExternal?: OpenExternal;
  /**
   * Whether this app is the system's tel: handler, where the core cannot ask the system
   * itself (Electron's `app.isDefaultProtocolClient('tel')` on macOS and Windows): TEL
   * refuses to hand a call to itself rather than loop.
   */
  readonly isSelfTelHandler?: () => boolean;
}

export interface IncomingCallAlert {
  readonly line: number;
  readonly call: Call;
}

export interface Core {
  readonly bridge: BridgeHost;
  /** The page hosting the SIP engine: the SIP backend's link, and what tests drive directly. */
  readonly engine: EngineHost;
  /** Fires once per call when it starts ringing; the shell turns it into a notification. */
  onIncomingCall(listener: (alert: IncomingCallAlert) => void): () => void;
  /**
   * Origins the page may connect to besides its own (the SIP server's WebSocket, for the
   * engine the page hosts): both targets' Content-Security-Policy admits exactly these.
   */
  connectSources(): readonly string[];
  /** The extension type in use now (the shell registers tel: only when it is not TEL). */
  extensionType(): ExtensionType;
  /** Every door's status now: `serve` prints their ready lines, tests read their ports. */
  doors(): DoorsView;
  /** Problems found while starting (corrupt settings file, port in use), one line each. */
  readonly warnings: readonly string[];
  close(): Promise<void>;
}
