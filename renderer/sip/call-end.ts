import type { CallEvent } from '../../shared/model/call-event.ts';
import type { Direction } from '../../shared/model/line-table.ts';
import { statusWords } from './reason.ts';
import { shownText } from './shown-text.ts';

/**
 * How a call ended, as JsSIP says it ('ended' after it was up, 'failed' before), turned
 * into the Terminated reason and the integration log's line. Pure.
 */

export type TerminationReason = NonNullable<Extract<CallEvent, { kind: 'Terminated' }>['reason']>;

export interface SessionEnd {
  readonly kind: 'ended' | 'failed';
  readonly originator: 'local' | 'remote' | 'system';
  /** JsSIP's cause (its Constants.causes): 'Terminated', 'Busy', 'Canceled', … */
  readonly cause: string;
  /** The final response that ended it, when one did. */
  readonly response: { readonly status: number; readonly reasonPhrase: string } | null;
}

/** What the engine itself did to the call, which JsSIP's cause cannot tell. */
export interface EndContext {
  /** The transfer target answered (NOTIFY 200 for our REFER). */
  readonly transferred: boolean;
  /** The far end took our REFER (202) and has not said how it went yet. */
  readonly transferring: boolean;
  readonly diverted: boolean;
  /** The final response the engine sent to refuse a call (`486 Busy Here`), if it did. */
  readonly refusedWith: string | null;
}

export function terminationReason(end: SessionEnd, context: EndContext): TerminationReason {
  if (context.transferred) return 'transferred';
  // A PBX that carries out a REFER itself often hangs up before its final NOTIFY.
  if (context.transferring && end.kind === 'ended' && end.originator === 'remote') {
    return 'transferred';
  }
  if (context.diverted) return 'diverted';
  if (end.kind === 'ended') return 'hangup';
  switch (end.cause) {
    // The caller gave up, or we stopped dialling; not answering in time is a missed call.
    case 'Canceled':
    case 'No Answer':
      return 'hangup';
    case 'Busy':
    case 'Rejected':
      return 'rejected';
    default:
      return 'failed';
  }
}

export interface LogLine {
  readonly direction: 'in' | 'out';
  readonly summary: string;
  readonly error: string | null;
}

/** Not JsSIP's: the engine stopped under a call that JsSIP could not end. */
export const ENGINE_STOPPED = 'Engine Stopped';

const CAUSE_WORDS: Readonly<Record<string, string>> = {
  'User Denied Media Access': 'microphone access refused',
  'Connection Error': 'connection to the PBX lost',
  'Request Timeout': 'the PBX did not answer in time',
  'Incompatible SDP': 'no common audio codec',
  'Bad Media Description': 'the far end sent unusable media parameters',
  'RTP Timeout': 'media connection failed',
  'WebRTC Error': 'the browser could not set up audio',
  'No ACK': 'the far end did not confirm the answer',
  'Dialog Error': 'the PBX sent a request outside the call',
  'No Answer': 'not answered in time',
  Expires: 'the call offer expired',
  [ENGINE_STOPPED]: 'the SIP engine stopped',
};

/** JsSIP's cause in words; an unknown one (or 'toString', from a far end) as shown text. */
const causeWords = (cause: string): string =>
  Object.hasOwn(CAUSE_WORDS, cause) ? (CAUSE_WORDS[cause] ?? cause) : shownText(cause, 80);

/**
 * `486 Busy Here from 1002` / `BYE to 1002` / `CANCEL from 1001`. JsSIP refuses a call it
 * is stopped with by 480, so that is what an unexplained local rejection sent.
 */
export function endLogLine(
  end: SessionEnd,
  direction: Direction,
  party: string,
  context: EndContext,
): LogLine {
  const from = `from ${party}`;
  const to = `to ${party}`;
  const remote = end.originator === 'remote';
  if (end.kind === 'ended') {
    return { direction: remote ? 'in' : 'out', summary: `BYE ${remote ? from : to}`, error: null };
  }
  if (end.cause === 'Canceled') {
    // An inbound call the caller gave up on; an outbound one we stopped dialling.
    const inbound = direction === 'inbound';
    return {
      direction: inbound ? 'in' : 'out',
      summary: `CANCEL ${inbound ? from : to}`,
      error: null,
    };
  }
  // A 2xx that JsSIP could not use (an answer with unusable SDP) names no failure: the
  // cause does.
  if (end.response !== null && end.response.status >= 300) {
    const words = statusWords(end.response.status, end.response.reasonPhrase);
    return { direction: 'in', summary: `${words} ${from}`, error: words };
  }
  if (end.originator === 'local' && end.cause === 'Rejected') {
    const sent = context.refusedWith ?? '480 Temporarily Unavailable';
    return { direction: 'out', summary: `${sent} ${to}`, error: null };
  }
  const words = causeWords(end.cause);
  return {
    direction: remote ? 'in' : 'out',
    summary: `call ${direction === 'inbound' ? from : to} failed: ${words}`,
    error: words,
  };
}

/**
 * How the call ended in a person's words, for the history row: the SIP status that ended
 * it where there is one ("486 Busy Here"), else who hung up or what failed.
 */
export function endDetail(end: SessionEnd, direction: Direction, context: EndContext): string {
  if (terminationReason(end, context) === 'transferred') return 'transferred';
  if (context.diverted) return 'diverted';
  if (end.kind === 'ended') {
    return end.originator === 'remote' ? 'hung up by the far end' : 'hung up here';
  }
  if (end.cause === 'Canceled') {
    return direction === 'inbound' ? 'the caller hung up first' : 'cancelled here';
  }
  if (end.response !== null && end.response.status >= 300) {
    return statusWords(end.response.status, end.response.reasonPhrase);
  }
  if (end.originator === 'local' && end.cause === 'Rejected') {
    return `refused here (${context.refusedWith ?? '480 Temporarily Unavailable'})`;
  }
  return causeWords(end.cause);
}
