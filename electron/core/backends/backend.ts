import type { BackendState } from '../../../shared/bridge/contract.ts';
import type { CallEvent } from '../../../shared/model/call-event.ts';
import type { CommandError } from '../../../shared/model/command-error.ts';
import type { Command, CommandKind } from '../../../shared/model/command.ts';
import type { LineTable } from '../../../shared/model/line-table.ts';
import type { Extension, ExtensionType } from '../../../shared/model/settings.ts';
import type { Result } from '../../../shared/result.ts';
import type { EngineHost } from '../engine-host.ts';
import type { Signal } from '../signal.ts';
import type { LogWriter } from '../integration-log.ts';
import type { SecretStore } from '../store/secret-store.ts';
import type { OpenExternal } from '../system-open.ts';

/** How a backend tells the switchboard what happened to its calls. */
export type ReportEvent = (event: CallEvent) => Result<unknown, { message: string }>;

/** What a backend can do right now: its state and the commands it would carry out. */
export interface BackendStatus {
  readonly state: BackendState;
  readonly capabilities: ReadonlySet<CommandKind>;
}

/**
 * A way of being a phone: the SIP engine, the OS tel: handler, TAPI, a desk phone, or a PBX
 * that pushes events. The switchboard checks the status's capabilities before it calls
 * `execute`, so a backend only ever sees commands it offers at that moment.
 */
export interface Backend {
  readonly type: ExtensionType;
  /**
   * Whether doors may push call state for it (Season Office "HTTP Message Alerting"): true
   * only for a backend with no signalling of its own. The listen port checks this.
   */
  readonly acceptsPushedEvents: boolean;
  /** This phone's own number (the SIP user name), for doors that report it (Integra's !00). */
  readonly ownNumber?: string;
  status(): BackendStatus;
  /**
   * Origins its engine in the page connects to (the SIP server's WebSocket), which the
   * page's Content-Security-Policy must admit; empty for backends that run in the core.
   */
  readonly connectSources: readonly string[];
  /** Fires whenever `status()` would answer differently. */
  readonly statusChanged: Signal<BackendStatus>;
  execute(command: Command, table: LineTable): Promise<Result<null, CommandError>>;
  /**
   * The sentence a command outside its capabilities is refused with, for a backend that
   * has one of its own ("the TEL extension type can only dial"); null or absent leaves the
   * switchboard's. It wins over an unavailable state: TEL cannot hold a call, handler or not.
   */
  refusal?(kind: CommandKind): string | null;
  close(): Promise<void>;
}

export interface BackendContext<T extends ExtensionType> {
  readonly report: ReportEvent;
  /** The extension type's own settings. */
  readonly settings: Extract<Extension, { type: T }>;
  /** Where its password lives; never in its settings. */
  readonly secrets: SecretStore;
  /** The integration log under the backend's name, for what its own wire carries (SIP). */
  readonly log: LogWriter;
  /**
   * The page that hosts the SIP engine, for backends that run in a page; one for the
   * core's lifetime, whichever backend is active. Others ignore it.
   */
  readonly engine: EngineHost;
  /** Hands a URL to the system's handler for its scheme (the TEL extension type dials so). */
  readonly openExternal: OpenExternal;
  /** See CoreOptions.isSelfTelHandler; absent where the system is asked directly. */
  readonly isSelfTelHandler?: (() => boolean) | undefined;
}

export type BackendFactory<T extends ExtensionType = ExtensionType> = (
  context: BackendContext<T>,
) => Backend;
