import type { BridgeError } from '../../../shared/bridge/contract.ts';
import type { CallEvent } from '../../../shared/model/call-event.ts';
import type { Command, CommandKind } from '../../../shared/model/command.ts';
import type { LineTable } from '../../../shared/model/line-table.ts';
import type { ExtensionType } from '../../../shared/model/settings.ts';
import type { Result } from '../../../shared/result.ts';

/** How a backend tells the switchboard what happened to its calls. */
export type ReportEvent = (event: CallEvent) => Result<unknown, { message: string }>;

/**
 * A way of being a phone: the SIP engine, the OS tel: handler, TAPI, a desk phone, or a PBX
 * that pushes events. The switchboard checks `capabilities` before it calls `execute`, so a
 * backend only ever sees commands it declared.
 */
export interface Backend {
  readonly type: ExtensionType;
  readonly capabilities: ReadonlySet<CommandKind>;
  /** Whether call state may arrive through the listen port (Season Office "HTTP Message Alerting"). */
  readonly acceptsPushedEvents: boolean;
  execute(command: Command, table: LineTable): Promise<Result<null, BridgeError>>;
  close(): Promise<void>;
}

export type BackendFactory = (report: ReportEvent) => Backend;
