import { randomUUID } from 'node:crypto';
import type { BridgeError, LinesView } from '../../shared/bridge/contract.ts';
import type { CallEvent } from '../../shared/model/call-event.ts';
import type { Command } from '../../shared/model/command.ts';
import {
  applyEvent,
  createLineTable,
  resizeLineTable,
  type Call,
  type HistoryRecord,
  type LineTable,
  type Transition,
  type TransitionError,
} from '../../shared/model/line-table.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import type { Backend, BackendFactory } from './backends/backend.ts';
import { Signal } from './signal.ts';

export interface SwitchboardOptions {
  readonly lines: number;
  readonly backend: BackendFactory;
  /**
   * Stores an ended call durably. Called before the table changes: when it fails, the
   * event is refused and the call stays on its line rather than vanish unrecorded.
   */
  readonly record: (record: HistoryRecord) => Result<null, string>;
  readonly now?: () => number;
}

export type ReportError =
  | TransitionError
  | { readonly code: 'history-unavailable'; readonly line: number; readonly message: string };

/**
 * Owns the line table. Every change goes through `report` (what happened) or `execute`
 * (what someone wants); both end in the pure transitions of shared/model/line-table.ts.
 */
export class Switchboard {
  readonly linesChanged = new Signal<LinesView>();
  /** Fires, after the record is stored, before `linesChanged` shows the line idle. */
  readonly callEnded = new Signal<HistoryRecord>();
  readonly callRinging = new Signal<{ line: number; call: Call }>();

  #table: LineTable;
  #backend: Backend;
  readonly #now: () => number;
  readonly #record: SwitchboardOptions['record'];

  constructor(options: SwitchboardOptions) {
    this.#table = createLineTable(options.lines);
    this.#now = options.now ?? Date.now;
    this.#record = options.record;
    this.#backend = options.backend(this.report);
  }

  get table(): LineTable {
    return this.#table;
  }

  get backend(): Backend {
    return this.#backend;
  }

  view(): LinesView {
    return { table: this.#table, capabilities: [...this.#backend.capabilities] };
  }

  /** Events from the active backend. Arrow so backends can hold it unbound. */
  readonly report = (event: CallEvent): Result<Transition, ReportError> => {
    const result = applyEvent(this.#table, event, { now: this.#now(), newCallId: randomUUID });
    if (!result.ok || !result.value.changed) return result;
    for (const record of result.value.ended) {
      const stored = this.#record(record);
      if (!stored.ok) {
        const message = `the call on line ${record.line} could not be added to the history (${stored.error}); nothing changed`;
        return err({ code: 'history-unavailable', line: record.line, message });
      }
    }
    const before = this.#table;
    this.#table = result.value.table;
    for (const record of result.value.ended) this.callEnded.emit(record);
    const call = this.#table.lines[event.line - 1]?.call;
    if (call?.phase === 'ringing' && before.lines[event.line - 1]?.call?.id !== call.id) {
      this.callRinging.emit({ line: event.line, call });
    }
    this.linesChanged.emit(this.view());
    return result;
  };

  /** Call state pushed through the listen port; refused for backends with signalling of their own. */
  pushed(
    event: CallEvent,
  ): Result<Transition, ReportError | { code: 'not-accepted'; message: string }> {
    if (!this.#backend.acceptsPushedEvents) {
      return err({
        code: 'not-accepted',
        message: `the ${this.#backend.type} extension type gets call state from its own signalling`,
      });
    }
    return this.report(event);
  }

  async execute(command: Command): Promise<Result<null, BridgeError>> {
    if (!this.#backend.capabilities.has(command.kind)) {
      return err({
        code: 'not-capable',
        message: `${command.kind} is not available with the ${this.#backend.type} extension type`,
      });
    }
    if (
      'line' in command &&
      command.line !== undefined &&
      command.line > this.#table.lines.length
    ) {
      return err({
        code: 'invalid-request',
        message: `line ${command.line} does not exist; this extension has lines 1 to ${this.#table.lines.length}`,
      });
    }
    return this.#backend.execute(command, this.#table);
  }

  /** Checked first by `canResize` so that settings can refuse before anything is applied. */
  canResize(lines: number): Result<LineTable, TransitionError> {
    return resizeLineTable(this.#table, lines);
  }

  resize(lines: number): Result<null, TransitionError> {
    const resized = resizeLineTable(this.#table, lines);
    if (!resized.ok) return resized;
    if (resized.value.lines.length !== this.#table.lines.length) {
      this.#table = resized.value;
      this.linesChanged.emit(this.view());
    }
    return ok(null);
  }

  /** Switch extension type; the caller has made sure no call is in progress. */
  async replaceBackend(factory: BackendFactory): Promise<void> {
    await this.#backend.close();
    this.#backend = factory(this.report);
    this.linesChanged.emit(this.view());
  }

  async close(): Promise<void> {
    await this.#backend.close();
  }
}
