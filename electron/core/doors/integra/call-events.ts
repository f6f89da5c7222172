import type { CallEvent } from '../../../../shared/model/call-event.ts';
import type { Direction, HistoryRecord } from '../../../../shared/model/line-table.ts';
import {
  formatIntegraTime,
  type IntegraEvent,
  type IntegraValues,
} from '../../../../shared/protocols/integra.ts';
import type { LineChange } from '../../switchboard.ts';

/**
 * Which Integra events one switchboard transition fires (the `firesWhen` of each in
 * shared/protocols/integra.ts says the same in a user's words). Pure, so that every
 * transition can be checked: each call a hook hears about opens with CALL_IN or CALL_OUT and
 * ends with exactly one CALL_CLOSE, whichever backend or door reported it.
 */

/** The call an event is about, as the values need it. */
export interface IntegraCall {
  readonly id: string;
  readonly line: number;
  readonly direction: Direction;
  /** The other party's number; '' when withheld. */
  readonly number: string;
  /** The ext_ID a voispeed: link gave the call (Call.tag), or ''. */
  readonly tag: string;
}

export interface IntegraOccurrence {
  readonly event: IntegraEvent;
  readonly call: IntegraCall;
}

/**
 * What a PBX or SIP stack says when the far end is busy: SIP's 486 Busy Here and 600 Busy
 * Everywhere, or the word itself. A call refused for any other reason (404, 503) is not busy.
 */
const BUSY_DETAIL = /^(486|600)\b|\bbusy\b/i;

/**
 * CALL_BUSY: a call we placed that ends before anyone answered, because the far end refused
 * it (`rejected`) or said it is busy.
 */
function endedBusy(event: CallEvent, record: HistoryRecord): boolean {
  if (event.kind !== 'Terminated') return false;
  if (record.direction !== 'outbound' || record.answeredAt !== null) return false;
  return event.reason === 'rejected' || BUSY_DETAIL.test(event.detail ?? '');
}

const callOf = (
  call: { id: string; direction: Direction; number: string; tag?: string | undefined },
  line: number,
): IntegraCall => ({
  id: call.id,
  line,
  direction: call.direction,
  number: call.number,
  tag: call.tag ?? '',
});

/**
 * The events of one change, in the order they happened. Ends come first: a new call on a
 * busy line pushes the old one off (the line table ends it into the history), and the old
 * call's CALL_CLOSE precedes the new one's CALL_IN. Hold, mute, silence, a line selected and
 * a changed number on a connected call fire nothing: the vendor has no event for them.
 */
export function integraEventsOf(change: LineChange): IntegraOccurrence[] {
  const { event, line, before, after, ended } = change;
  const events: IntegraOccurrence[] = [];
  for (const record of ended) {
    const call = callOf(record, record.line);
    if (endedBusy(event, record)) events.push({ event: 'CALL_BUSY', call });
    events.push({ event: 'CALL_CLOSE', call });
  }
  if (after === null) return events;
  const call = callOf(after, line);
  if (before?.id !== after.id) {
    events.push({ event: after.direction === 'inbound' ? 'CALL_IN' : 'CALL_OUT', call });
    // A PBX that reports only the answer (ESTABLISHED without INCOMING) makes a call that
    // starts connected; it still opens with CALL_IN, so every call a hook sees has a start.
    if (after.phase === 'established') events.push({ event: 'CALL_ACCEPT', call });
    return events;
  }
  if (after.phase !== 'established') return events;
  if (before.phase === 'ringing' || before.phase === 'dialing') {
    events.push({ event: 'CALL_ACCEPT', call });
  } else if (before.phase === 'held') {
    events.push({ event: 'CALL_ACTIVE', call });
  }
  return events;
}

/**
 * The values `!00`..`!07` of one event, as far as Callbridge knows them:
 * - `!00` own number: the active backend's (`Backend.ownNumber`: the SIP user name), or ''
 *   for a backend that has none (a PBX pushing events, TEL).
 * - `!01` the other party's number, as the line shows it.
 * - `!03` own direct number called and `!07` original called number: '' (no backend reports
 *   which of our numbers was dialled).
 * - `!04` this computer's time of the event (formatIntegraTime).
 * - `!05` the call's id in the line table, the same one its history row keeps.
 * - `!06` original calling number: the caller of an incoming call (with no forwarding
 *   reported, the caller is the original caller); '' for a call we placed.
 */
export function integraValues(
  occurrence: IntegraOccurrence,
  at: Date,
  ownNumber = '',
): IntegraValues {
  const { event, call } = occurrence;
  return {
    ownNumber,
    remoteNumber: call.number,
    action: event,
    ownDirectNumber: '',
    time: formatIntegraTime(at),
    callId: call.id,
    originalCallingNumber: call.direction === 'inbound' ? call.number : '',
    originalCalledNumber: '',
    extId: call.tag,
  };
}
