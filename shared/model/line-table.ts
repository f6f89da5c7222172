import type { CallEvent } from './call-event.ts';
import type { CommandError } from './command-error.ts';
import { err, ok, type Result } from '../result.ts';

/**
 * The line table: lines 1..N, each idle or carrying one call. Call state is a
 * discriminated union on `phase`, so a held call always has the time it was answered and
 * a ringing call never does. Transitions are pure: same table, event and clock in, same
 * table out.
 */

export type Direction = 'inbound' | 'outbound';

interface CallBase {
  /** Unique within one core run; history rows keep it. */
  readonly id: string;
  readonly direction: Direction;
  readonly number: string;
  readonly callerId: string;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  /** The backend's reference for this call, when it has one (see CallEvent `ref`). */
  readonly ref: string | null;
  /** What the MakeCall that placed it was tagged with (VOIspeed's ext_ID); absent: none. */
  readonly tag?: string;
}

/** Absent means false: most backends and every PBX door never set them. */
interface Silencing {
  /** The ring tone was stopped for this call (Silence); it is still alerting. */
  readonly silenced?: boolean;
}
interface Muting {
  /** Our microphone is not sent into the call (Mute); kept across hold and resume. */
  readonly muted?: boolean;
}

export type Call =
  | (CallBase & Silencing & { readonly phase: 'ringing' })
  | (CallBase & {
      readonly phase: 'dialing';
      /** What the far end does before it answers: rings, or plays early media. */
      readonly ringback?: 'ringing' | 'early-media';
    })
  | (CallBase & Muting & { readonly phase: 'established'; readonly answeredAt: number })
  | (CallBase &
      Muting & { readonly phase: 'held'; readonly answeredAt: number; readonly heldAt: number });

export type CallPhase = Call['phase'];

export interface Line {
  readonly line: number;
  readonly call: Call | null;
}

export interface LineTable {
  readonly lines: readonly Line[];
  /** The line that commands without an explicit line act on. Always within 1..N. */
  readonly selected: number;
}

/**
 * 'interrupted': the call was on a line when the core stopped without ending it (a crash,
 * a kill, a power cut); recorded when the core starts again.
 */
export type CallOutcome = 'answered' | 'missed' | 'unanswered' | 'interrupted';

/** What a call leaves behind in the history once it ends. */
export interface HistoryRecord {
  readonly id: string;
  readonly line: number;
  readonly direction: Direction;
  readonly number: string;
  readonly callerId: string;
  readonly startedAt: number;
  readonly answeredAt: number | null;
  readonly endedAt: number;
  readonly outcome: CallOutcome;
  /** How it ended in the backend's words (the SIP status, "hung up by the far end"), if it said. */
  readonly reason: string | null;
  /** The call's tag (see Call); absent: none. */
  readonly tag?: string;
}

export const MAX_LINES = 64;

export function createLineTable(lineCount: number): LineTable {
  const count = Math.min(Math.max(1, Math.trunc(lineCount)), MAX_LINES);
  return {
    lines: Array.from({ length: count }, (_, index) => ({ line: index + 1, call: null })),
    selected: 1,
  };
}

/** The part of the CommandError union that the line table itself can answer. */
export type TransitionError = Extract<
  CommandError,
  { code: 'no-such-line' | 'no-call' | 'not-allowed-now' }
>;
export type TransitionErrorCode = TransitionError['code'];

export interface Transition {
  readonly table: LineTable;
  /** Calls that ended with this event, in the order they ended. */
  readonly ended: readonly HistoryRecord[];
  /** False when the event was valid but described what the table already showed. */
  readonly changed: boolean;
}

export interface Clock {
  readonly now: number;
  /** Called once for each call that starts; keeps transitions free of randomness. */
  readonly newCallId: () => string;
}

export function findLine(table: LineTable, line: number): Line | undefined {
  return table.lines[line - 1];
}

export function endCall(
  call: Call,
  line: number,
  endedAt: number,
  reason: string | null = null,
): HistoryRecord {
  const answeredAt = call.phase === 'established' || call.phase === 'held' ? call.answeredAt : null;
  const outcome: CallOutcome =
    answeredAt !== null ? 'answered' : call.direction === 'inbound' ? 'missed' : 'unanswered';
  return {
    id: call.id,
    line,
    direction: call.direction,
    number: call.number,
    callerId: call.callerId,
    startedAt: call.startedAt,
    answeredAt,
    endedAt: Math.max(endedAt, call.startedAt),
    outcome,
    reason,
    ...(call.tag === undefined ? {} : { tag: call.tag }),
  };
}

function withCall(table: LineTable, line: number, call: Call | null): LineTable {
  return {
    ...table,
    lines: table.lines.map((entry) => (entry.line === line ? { line, call } : entry)),
  };
}

const unchanged = (table: LineTable): Transition => ({ table, ended: [], changed: false });

function refuse(code: TransitionErrorCode, line: number, message: string) {
  return err<TransitionError>({ code, line, message });
}

/**
 * An event that names a call (`ref`) other than the one on its line is late: that call has
 * ended and the line may carry the next one already. Starting a call is never late, and
 * a call or event without a ref (the listen port's PBX) is taken as it comes.
 */
function staleRef(current: Call | null, event: CallEvent): TransitionError | null {
  if (event.kind === 'Incoming' || event.kind === 'Dialing' || event.kind === 'LineSelected') {
    return null;
  }
  if (event.ref === undefined) return null;
  if (current === null) {
    // A late end of a call already gone is harmless; anything else has nothing to act on.
    return event.kind === 'Terminated'
      ? null
      : {
          code: 'no-call',
          line: event.line,
          message: `line ${event.line} has no call ${event.ref}`,
        };
  }
  if (current.ref === null || current.ref === event.ref) return null;
  return {
    code: 'no-call',
    line: event.line,
    message: `call ${event.ref} is no longer on line ${event.line}; the event was ignored`,
  };
}

/**
 * Fold one event into the table. Third-party PBXs are sloppy senders, so the rules lean
 * towards what the user should see rather than towards rejecting: a repeated event is a
 * no-op, `Established` without a prior `Incoming` creates the call, and a new call on a
 * busy line ends the old one into history rather than dropping it. What cannot make sense
 * (holding a ringing call, resuming an idle line) is refused and changes nothing.
 */
export function applyEvent(
  table: LineTable,
  event: CallEvent,
  clock: Clock,
): Result<Transition, TransitionError> {
  const entry = findLine(table, event.line);
  if (!entry) {
    return refuse(
      'no-such-line',
      event.line,
      `line ${event.line} does not exist; this extension has lines 1 to ${table.lines.length}`,
    );
  }
  const current = entry.call;
  const { now } = clock;
  const stale = staleRef(current, event);
  if (stale) return err(stale);

  switch (event.kind) {
    case 'Incoming':
    case 'Dialing': {
      const phase = event.kind === 'Incoming' ? 'ringing' : 'dialing';
      const direction: Direction = event.kind === 'Incoming' ? 'inbound' : 'outbound';
      if (
        current &&
        current.phase === phase &&
        current.number === event.number &&
        current.ref === (event.ref ?? null)
      ) {
        return ok(unchanged(table));
      }
      const ended = current ? [endCall(current, event.line, now)] : [];
      const tag = event.kind === 'Dialing' ? event.tag : undefined;
      const call: Call = {
        id: clock.newCallId(),
        direction,
        number: event.number,
        callerId: event.callerId ?? '',
        startedAt: now,
        ref: event.ref ?? null,
        phase,
        ...(tag === undefined ? {} : { tag }),
      };
      return ok({ table: withCall(table, event.line, call), ended, changed: true });
    }

    case 'Established': {
      if (!current) {
        const call: Call = {
          id: clock.newCallId(),
          direction: 'inbound',
          number: event.number ?? '',
          callerId: event.callerId ?? '',
          startedAt: now,
          ref: event.ref ?? null,
          phase: 'established',
          answeredAt: now,
        };
        return ok({ table: withCall(table, event.line, call), ended: [], changed: true });
      }
      const number = event.number || current.number;
      const callerId = event.callerId || current.callerId;
      if (
        current.phase === 'established' &&
        number === current.number &&
        callerId === current.callerId
      ) {
        return ok(unchanged(table));
      }
      const answeredAt =
        current.phase === 'established' || current.phase === 'held' ? current.answeredAt : now;
      const { id, direction, startedAt, ref, tag } = current;
      // A ringing call's silencing ends with its ringing; a held call's mute carries over.
      const muted =
        current.phase === 'established' || current.phase === 'held' ? current.muted : undefined;
      const call: Call = {
        id,
        direction,
        startedAt,
        ref,
        number,
        callerId,
        phase: 'established',
        answeredAt,
        ...(muted === undefined ? {} : { muted }),
        ...(tag === undefined ? {} : { tag }),
      };
      return ok({ table: withCall(table, event.line, call), ended: [], changed: true });
    }

    case 'Held': {
      if (!current) return refuse('no-call', event.line, `line ${event.line} has no call to hold`);
      if (current.phase === 'held') return ok(unchanged(table));
      if (current.phase !== 'established') {
        return refuse(
          'not-allowed-now',
          event.line,
          `the call on line ${event.line} is ${current.phase}; only a connected call can be held`,
        );
      }
      const call: Call = { ...current, phase: 'held', heldAt: now };
      return ok({ table: withCall(table, event.line, call), ended: [], changed: true });
    }

    case 'Resumed': {
      if (!current)
        return refuse('no-call', event.line, `line ${event.line} has no call to resume`);
      if (current.phase === 'established') return ok(unchanged(table));
      if (current.phase !== 'held') {
        return refuse(
          'not-allowed-now',
          event.line,
          `the call on line ${event.line} is ${current.phase}; only a held call can be resumed`,
        );
      }
      const { heldAt: _heldAt, ...rest } = current;
      const call: Call = { ...rest, phase: 'established' };
      return ok({ table: withCall(table, event.line, call), ended: [], changed: true });
    }

    case 'Muted': {
      if (!current) return refuse('no-call', event.line, `line ${event.line} has no call to mute`);
      if (current.phase !== 'established' && current.phase !== 'held') {
        return refuse(
          'not-allowed-now',
          event.line,
          `the call on line ${event.line} is ${current.phase}; only a connected call can be muted`,
        );
      }
      if ((current.muted ?? false) === event.muted) return ok(unchanged(table));
      const call: Call = { ...current, muted: event.muted };
      return ok({ table: withCall(table, event.line, call), ended: [], changed: true });
    }

    case 'Ringback': {
      if (!current) return refuse('no-call', event.line, `line ${event.line} has no call`);
      if (current.phase !== 'dialing') {
        return refuse(
          'not-allowed-now',
          event.line,
          `the call on line ${event.line} is ${current.phase}; only a call being dialled rings back`,
        );
      }
      const ringback = event.earlyMedia ? 'early-media' : 'ringing';
      // Early media, once heard, stays: a later plain 180 does not stop the sound.
      if (current.ringback === ringback || current.ringback === 'early-media') {
        return ok(unchanged(table));
      }
      const call: Call = { ...current, ringback };
      return ok({ table: withCall(table, event.line, call), ended: [], changed: true });
    }

    case 'Silenced': {
      if (!current)
        return refuse('no-call', event.line, `line ${event.line} has no call to silence`);
      if (current.phase !== 'ringing') {
        return refuse(
          'not-allowed-now',
          event.line,
          `the call on line ${event.line} is ${current.phase}; only a ringing call can be silenced`,
        );
      }
      if (current.silenced === true) return ok(unchanged(table));
      const call: Call = { ...current, silenced: true };
      return ok({ table: withCall(table, event.line, call), ended: [], changed: true });
    }

    case 'LineSelected': {
      if (table.selected === event.line) return ok(unchanged(table));
      return ok({ table: { ...table, selected: event.line }, ended: [], changed: true });
    }

    case 'Terminated': {
      if (!current) return ok(unchanged(table));
      return ok({
        table: withCall(table, event.line, null),
        ended: [endCall(current, event.line, now, event.detail ?? null)],
        changed: true,
      });
    }
  }
}

/**
 * Change the number of lines. Refused while a call sits on a line that would disappear,
 * so that a settings change can never swallow a call.
 */
export function resizeLineTable(
  table: LineTable,
  lineCount: number,
): Result<LineTable, TransitionError> {
  const busy = table.lines.find((entry) => entry.line > lineCount && entry.call !== null);
  if (busy) {
    return refuse(
      'not-allowed-now',
      busy.line,
      `line ${busy.line} has a call in progress; end it before reducing the number of lines`,
    );
  }
  const resized = createLineTable(lineCount);
  return ok({
    lines: resized.lines.map((entry) => findLine(table, entry.line) ?? entry),
    selected: table.selected <= resized.lines.length ? table.selected : 1,
  });
}
