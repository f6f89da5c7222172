import { randomUUID } from 'node:crypto';
import type { LinesView } from '../../shared/bridge/contract.ts';
import { CallEventSchema, type CallEvent } from '../../shared/model/call-event.ts';
import type { CommandError } from '../../shared/model/command-error.ts';
import type { Command, CommandKind } from '../../shared/model/command.ts';
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
import { applyDiallingRule, type Country } from '../../shared/protocols/phone-number.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import type { Backend, ReportEvent } from './backends/backend.ts';
import { Signal } from './signal.ts';

export interface SwitchboardOptions {
  readonly lines: number;
  readonly backend: (report: ReportEvent) => Backend;
  /**
   * Stores durably, in one step, the calls a transition ended and the call it leaves on
   * the line (so that a crash finds it and records it as interrupted). Called before the
   * table changes, for every transition that touches a line's call: when it fails, the
   * event is refused and the table stays as it was rather than run ahead of the disk.
   */
  readonly journal: (write: LineWrite) => Result<null, string>;
  readonly now?: () => number;
  /** Settings' default country for the dialling rule; none when absent. */
  readonly defaultCountry?: Country | null;
}

export type ReportError =
  TransitionError | Extract<CommandError, { code: 'history-unavailable' | 'invalid-event' }>;

/** What one transition does to one line's call, for the journal to store. */
export interface LineWrite {
  readonly line: number;
  /** The call now on the line, or null when it went idle. */
  readonly call: Call | null;
  /** Calls this transition ended, to be added to the history. */
  readonly ended: readonly HistoryRecord[];
}

/**
 * One transition, as doors that report outwards (Integra, the 24U and TelServices
 * monitors) need it: what happened, on which line, the call before and after, and the
 * calls it ended (already stored). They subscribe to this rather than diff line tables.
 */
export interface LineChange {
  readonly event: CallEvent;
  readonly line: number;
  readonly before: Call | null;
  readonly after: Call | null;
  readonly ended: readonly HistoryRecord[];
  readonly table: LineTable;
}

/** Every number a command dials goes through the one dialling rule, whichever door sent it. */
function withDiallingRule(command: Command, country: Country | null): Command {
  switch (command.kind) {
    case 'MakeCall':
      return { ...command, number: applyDiallingRule(command.number, country) };
    case 'Transfer':
    case 'Divert':
      return command.target === undefined
        ? command
        : { ...command, target: applyDiallingRule(command.target, country) };
    default:
      return command;
  }
}

/**
 * Owns the line table. Every change goes through `report` (what happened) or `execute`
 * (what someone wants); both end in the pure transitions of shared/model/line-table.ts.
 */
export class Switchboard {
  /** The whole view, for the UI. Fires after `changed` for the same transition. */
  readonly linesChanged = new Signal<LinesView>();
  /** Every transition that changed the table, after its ended calls are stored. */
  readonly changed = new Signal<LineChange>();

  #table: LineTable;
  #backend: Backend;
  /**
   * The MakeCalls the backend is carrying out, oldest first. Backends report the Dialing of
   * the call a MakeCall places before they answer it (the SIP engine does, over the same
   * socket), and carry commands out in order, so the first new call that starts dialling
   * while one is pending is its call, and takes its tag. Untagged ones are listed too, so
   * that a tag never lands on the call of an untagged MakeCall sent just before it.
   */
  readonly #placing: { readonly tag: string | undefined }[] = [];
  #unwatchBackend: () => void;
  readonly #now: () => number;
  readonly #journal: SwitchboardOptions['journal'];
  #defaultCountry: Country | null;

  constructor(options: SwitchboardOptions) {
    this.#table = createLineTable(options.lines);
    this.#now = options.now ?? Date.now;
    this.#journal = options.journal;
    this.#defaultCountry = options.defaultCountry ?? null;
    this.#backend = options.backend(this.report);
    this.#unwatchBackend = this.#watch(this.#backend);
  }

  get table(): LineTable {
    return this.#table;
  }

  get backend(): Backend {
    return this.#backend;
  }

  view(): LinesView {
    const { state, capabilities } = this.#backend.status();
    return {
      table: this.#table,
      capabilities: [...capabilities],
      backend: { type: this.#backend.type, status: state },
    };
  }

  /** Events from the active backend. Arrow so backends can hold it unbound. */
  readonly report = (event: CallEvent): Result<Transition, ReportError> => {
    // Every source is checked here, whatever its own parser did: nothing reaches the line
    // table (and from it every screen and integration) that the model does not allow.
    const checked = CallEventSchema.safeParse(event);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')} ` : '';
      return err({
        code: 'invalid-event',
        message: `${event.kind} event refused: ${where}${issue?.message ?? 'does not fit the model'}`,
      });
    }
    const placing =
      event.kind === 'Dialing' && event.tag === undefined ? this.#placing[0] : undefined;
    const tagged =
      event.kind === 'Dialing' && placing?.tag !== undefined
        ? { ...event, tag: placing.tag }
        : event;
    const result = applyEvent(this.#table, tagged, { now: this.#now(), newCallId: randomUUID });
    if (!result.ok || !result.value.changed) return result;
    const before = this.#table.lines[event.line - 1]?.call ?? null;
    const after = result.value.table.lines[event.line - 1]?.call ?? null;
    const { ended } = result.value;
    // A transition that leaves the line's call as it was (a line selected) has nothing to store.
    if (after !== before || ended.length > 0) {
      const stored = this.#journal({ line: event.line, call: after, ended });
      if (!stored.ok) {
        const what = ended.length > 0 ? 'could not be added to the history' : 'could not be stored';
        const message = `the call on line ${event.line} ${what} (${stored.error}); nothing changed`;
        return err({ code: 'history-unavailable', line: event.line, message });
      }
    }
    this.#table = result.value.table;
    // Only a call that started here is the pending MakeCall's (a repeated Dialing is not).
    if (placing !== undefined && after !== null && after.id !== before?.id) {
      this.#placing.splice(this.#placing.indexOf(placing), 1);
    }
    this.changed.emit({
      event: tagged,
      line: event.line,
      before,
      after,
      ended,
      table: this.#table,
    });
    this.linesChanged.emit(this.view());
    return result;
  };

  /**
   * Why the active backend would refuse a command of `kind` now, in its own words where it
   * has them, or null when it would take one: what `execute` answers before the backend.
   */
  refusal(kind: CommandKind): CommandError | null {
    const { state, capabilities } = this.#backend.status();
    if (capabilities.has(kind)) return null;
    // A backend may say why in its own words ("the TEL extension type can only dial").
    const own = this.#backend.refusal?.(kind) ?? null;
    if (own !== null) return { code: 'not-capable', kind, message: own };
    return state.state === 'unavailable'
      ? { code: 'backend-unavailable', message: state.reason }
      : {
          code: 'not-capable',
          kind,
          message: `${kind} is not available with the ${this.#backend.type} extension type`,
        };
  }

  async execute(command: Command): Promise<Result<null, CommandError>> {
    const refused = this.refusal(command.kind);
    if (refused) return err(refused);
    if (
      'line' in command &&
      command.line !== undefined &&
      command.line > this.#table.lines.length
    ) {
      return err({
        code: 'no-such-line',
        line: command.line,
        message: `line ${command.line} does not exist; this extension has lines 1 to ${this.#table.lines.length}`,
      });
    }
    const normalised = withDiallingRule(command, this.#defaultCountry);
    if (normalised.kind !== 'MakeCall') return this.#backend.execute(normalised, this.#table);
    const placing = { tag: normalised.tag };
    this.#placing.push(placing);
    try {
      return await this.#backend.execute(normalised, this.#table);
    } finally {
      // Still listed: the MakeCall placed no call (refused, or a backend that reports none).
      const left = this.#placing.indexOf(placing);
      if (left >= 0) this.#placing.splice(left, 1);
    }
  }

  /** The country national numbers are read in from now on (Settings' "Default country"). */
  setDefaultCountry(country: Country | null): void {
    this.#defaultCountry = country;
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
  async replaceBackend(create: (report: ReportEvent) => Backend): Promise<void> {
    this.#unwatchBackend();
    await this.#backend.close();
    this.#backend = create(this.report);
    this.#unwatchBackend = this.#watch(this.#backend);
    this.linesChanged.emit(this.view());
  }

  async close(): Promise<void> {
    this.#unwatchBackend();
    await this.#backend.close();
  }

  /** A backend's state (registered, lost) shows in the header through the lines view. */
  #watch(backend: Backend): () => void {
    return backend.statusChanged.on(() => {
      this.linesChanged.emit(this.view());
    });
  }
}
