import type { EndEvent, IncomingEvent, OutgoingEvent, RTCSession } from 'jssip/lib/RTCSession';
import type { IncomingResponse } from 'jssip/lib/SIPMessage';
import type { CallEvent } from '../../shared/model/call-event.ts';
import type { Call, CallPhase, Direction } from '../../shared/model/line-table.ts';
import {
  ENGINE_STOPPED,
  endDetail,
  endLogLine,
  terminationReason,
  type LogLine,
  type SessionEnd,
} from './call-end.ts';
import type { CallSlot } from './call-choice.ts';
import { announceEvents, resyncEvents, type LiveCall } from './call-resync.ts';
import { describeParty, type Party } from './party.ts';
import type { DialogId } from './replaces.ts';
import type { Report } from './registration.ts';
import { statusWords } from './reason.ts';
import { RemoteAudio } from './remote-audio.ts';
import { logReport } from './shown-text.ts';

/**
 * One JsSIP session on one line: it follows the session's events, tells the core what
 * happened (CallEvents with `ref` = the SIP Call-ID, so a late event cannot touch the
 * line's next call) and owns the call's audio element.
 */

export interface CallHooks {
  readonly report: Report;
  /** Where the far end is heard (Settings' speaker); null: the system default. */
  readonly speaker: string | null;
  /** The phase changed: the engine decides the ring tone again. */
  readonly changed: () => void;
  /** The session is over; the engine forgets the call. */
  readonly ended: (call: SipCall) => void;
}

/** JsSIP's originators are strings at runtime; its types make them an ambient enum. */
const originatorOf = (originator: string): SessionEnd['originator'] =>
  originator === 'remote' ? 'remote' : originator === 'system' ? 'system' : 'local';

/** JsSIP passes null when no message ended the call; its types say otherwise. */
function responseOf(message: EndEvent['message'] | null): SessionEnd['response'] {
  if (message === null || !('status_code' in message)) return null;
  const response: IncomingResponse = message;
  return { status: response.status_code, reasonPhrase: response.reason_phrase };
}

/** A tag parameter's value as JsSIP parsed it (any type at runtime), or null. */
export const tagOf = (tag: unknown): string | null =>
  typeof tag === 'string' && tag !== '' ? tag : null;

/** How long a hold or resume waits for a re-INVITE in flight: 50 × 100 ms. */
const HOLD_ATTEMPTS = 50;
const HOLD_RETRY_MS = 100;

/** Call-IDs longer than CallEventSchema's ref are cut the same way every time. */
export const refOf = (callId: string): string => callId.slice(0, 256);

export class SipCall implements CallSlot {
  readonly ref: string;
  readonly line: number;
  readonly direction: Direction;
  readonly party: Party;
  readonly session: RTCSession;
  #phase: CallPhase;
  #over = false;
  /** Whether the core has been told of the call (an inbound one is told just after its 180). */
  #announced = false;
  #muted = false;
  #ringback: 'ringing' | 'early-media' | null = null;
  #silenced = false;
  /** What Hold/Retrieve last asked for; applied once no re-INVITE is in flight. */
  #wantHold = false;
  #holdTimer: ReturnType<typeof setTimeout> | null = null;
  /** Set by the commands before they end the call, for the Terminated reason. */
  transferred = false;
  transferring = false;
  diverted = false;
  refusedWith: string | null = null;
  /** The dialog's tags, for a Replaces header; the far end's arrives with its 200. */
  readonly #callId: string;
  readonly #localTag: string | null;
  #remoteTag: string | null;
  readonly #hooks: CallHooks;
  readonly #audio: RemoteAudio;

  constructor(
    session: RTCSession,
    init: {
      callId: string;
      line: number;
      direction: Direction;
      party: Party;
      localTag: string | null;
      remoteTag: string | null;
    },
    hooks: CallHooks,
  ) {
    this.session = session;
    this.ref = refOf(init.callId);
    this.line = init.line;
    this.direction = init.direction;
    this.party = init.party;
    this.#callId = init.callId;
    this.#localTag = init.localTag;
    this.#remoteTag = init.remoteTag;
    this.#phase = init.direction === 'inbound' ? 'ringing' : 'dialing';
    this.#hooks = hooks;
    this.#audio = new RemoteAudio(this.ref, hooks.speaker, (error) => {
      this.#log({
        direction: 'in',
        summary: `audio from ${this.party.number} could not be played`,
        error,
      });
    });
    this.#wire();
  }

  get phase(): CallPhase {
    return this.#phase;
  }

  /** The call's dialog once both ends have tagged it (answered), or null before. */
  get dialog(): DialogId | null {
    const localTag = this.#localTag;
    const remoteTag = this.#remoteTag;
    if (localTag === null || remoteTag === null) return null;
    return { callId: this.#callId, localTag, remoteTag };
  }

  /** True once Silence was pressed: the call alerts without a ring tone. */
  get silenced(): boolean {
    return this.#silenced;
  }

  silence(): void {
    if (this.#silenced || this.#phase !== 'ringing') return;
    this.#silenced = true;
    this.log(`ring tone silenced for ${describeParty(this.party)}`);
    this.#event({ kind: 'Silenced', line: this.line, ref: this.ref });
    this.#hooks.changed();
  }

  /**
   * Mute stops our microphone's track (JsSIP disables it); the far end keeps sending, and
   * a hold and resume keep the mute, as every desk phone does.
   */
  setMuted(muted: boolean): void {
    if (this.#muted === muted) return;
    if (muted) this.session.mute({ audio: true });
    else this.session.unmute({ audio: true });
    this.#muted = muted;
    this.log(
      `microphone ${muted ? 'muted' : 'unmuted'} on the call with ${describeParty(this.party)}`,
    );
    this.#event({ kind: 'Muted', line: this.line, ref: this.ref, muted });
  }

  /** Incoming for a call from the far end, Dialing for ours: the call's first event. Once. */
  announce(): void {
    if (this.#announced) return;
    this.#announced = true;
    for (const event of announceEvents(this.#live())) this.#event(event);
  }

  /** For a core that has (re)connected: whatever its line table lacks of this call. */
  resync(shown: Call | null): void {
    this.#announced = true;
    for (const event of resyncEvents(this.#live(), shown)) this.#event(event);
  }

  /**
   * Hold or resume. JsSIP refuses a re-INVITE while another is in flight (a Retrieve
   * clicked right after Hold), so the wish is kept and applied as soon as the session can
   * re-offer; the last wish wins. Held/Resumed are reported when the re-INVITE goes out.
   */
  setHold(hold: boolean): void {
    this.#wantHold = hold;
    this.#applyHold(0);
  }

  #applyHold(attempt: number): void {
    if (this.#holdTimer !== null) clearTimeout(this.#holdTimer);
    this.#holdTimer = null;
    const { session } = this;
    if (this.#over || session.isEnded() || session.isOnHold().local === this.#wantHold) return;
    if (session.isReadyToReOffer()) {
      if (this.#wantHold) session.hold();
      else session.unhold();
      return;
    }
    if (attempt >= HOLD_ATTEMPTS) {
      this.log(
        `could not ${this.#wantHold ? 'hold' : 'resume'} the call: the far end kept renegotiating`,
      );
      return;
    }
    this.#holdTimer = setTimeout(() => {
      this.#applyHold(attempt + 1);
    }, HOLD_RETRY_MS);
  }

  /** The engine stopped and JsSIP could not end the call: say it ended, free its line. */
  abandon(): void {
    this.#end({ kind: 'failed', originator: 'local', cause: ENGINE_STOPPED, response: null });
  }

  #live(): LiveCall {
    const { line, ref, direction } = this;
    return {
      line,
      ref,
      direction,
      phase: this.#phase,
      muted: this.#muted,
      silenced: this.#silenced,
      ringback: this.#ringback,
      ...this.party,
    };
  }

  log(summary: string, error: string | null = null, direction: LogLine['direction'] = 'out'): void {
    this.#log({ direction, summary, error });
  }

  /**
   * A 180 or 183 while dialling. With an SDP body JsSIP has applied it to the call's
   * connection: the far end's sound (a ring-back tone, an announcement) plays through the
   * call's audio already, and the line says so. Early media, once heard, stays.
   */
  #ringbackFrom(response: IncomingResponse): void {
    const status = response.status_code;
    if (this.#phase !== 'dialing' || (status !== 180 && status !== 183)) return;
    const earlyMedia = typeof response.body === 'string' && response.body.trim() !== '';
    const next = earlyMedia ? 'early-media' : 'ringing';
    if (this.#ringback === 'early-media' || this.#ringback === next) return;
    this.#ringback = next;
    this.#event({ kind: 'Ringback', line: this.line, ref: this.ref, earlyMedia });
  }

  #wire(): void {
    const { session } = this;
    const peer = describeParty(this.party);
    // Dialling, JsSIP has made the peer connection already; answering, it makes it later.
    const early = session.connection as RTCPeerConnection | null | undefined;
    if (early) this.#audio.attach(early);
    session.on('peerconnection', ({ peerconnection }) => {
      this.#audio.attach(peerconnection);
    });
    session.on('progress', (event: IncomingEvent | OutgoingEvent) => {
      // Ours (the 180 JsSIP sends for an incoming call) carries no response.
      if (!('response' in event) || originatorOf(event.originator) !== 'remote') return;
      const { response } = event;
      this.log(
        `${statusWords(response.status_code, response.reason_phrase)} from ${peer}`,
        null,
        'in',
      );
      this.#ringbackFrom(response);
    });
    session.on('accepted', (event: IncomingEvent | OutgoingEvent) => {
      // Our call's far end tags the dialog in its 200 (of all the forks, this one's).
      if ('response' in event && originatorOf(event.originator) === 'remote') {
        this.#remoteTag = tagOf(event.response.to.getParam<unknown>('tag'));
      }
      if (this.#phase !== 'ringing' && this.#phase !== 'dialing') return;
      this.#phase = 'established';
      if (this.direction === 'inbound') this.log(`200 OK to ${peer}`);
      else this.log(`200 OK from ${peer}`, null, 'in');
      this.#event({ kind: 'Established', line: this.line, ref: this.ref });
      this.#hooks.changed();
    });
    const onHold = (held: boolean, originator: string): void => {
      // The far end holding us is theirs to say; the line shows our hold only.
      if (originatorOf(originator) === 'remote') {
        this.log(`${peer} ${held ? 'put the call on hold' : 'took the call off hold'}`, null, 'in');
        return;
      }
      this.#phase = held ? 'held' : 'established';
      this.log(`re-INVITE (${held ? 'hold' : 'resume'}) to ${peer}`);
      this.#event({ kind: held ? 'Held' : 'Resumed', line: this.line, ref: this.ref });
      this.#hooks.changed();
    };
    session.on('hold', ({ originator }) => {
      onHold(true, originator);
    });
    session.on('unhold', ({ originator }) => {
      onHold(false, originator);
    });
    session.on('refer', ({ reject }) => {
      // A far end may not make this phone call a number of its choosing.
      reject();
      this.log(
        `REFER from ${peer} refused: transfers asked by the far end are not followed`,
        null,
        'in',
      );
    });
    session.on('getusermediafailed', (error: unknown) => {
      this.log('microphone unavailable', error instanceof Error ? error.message : String(error));
    });
    session.on('ended', (event) => {
      this.#end({ kind: 'ended', ...this.#endOf(event) });
    });
    session.on('failed', (event) => {
      this.#end({ kind: 'failed', ...this.#endOf(event) });
    });
  }

  #endOf(event: EndEvent): Omit<SessionEnd, 'kind'> {
    return {
      originator: originatorOf(event.originator),
      cause: typeof event.cause === 'string' ? event.cause : '',
      response: responseOf(event.message),
    };
  }

  #end(end: SessionEnd): void {
    if (this.#over) return;
    this.#over = true;
    // Ended before its deferred announcement: the core must hear of it before its end.
    this.announce();
    if (this.#holdTimer !== null) clearTimeout(this.#holdTimer);
    const context = {
      transferred: this.transferred,
      transferring: this.transferring,
      diverted: this.diverted,
      refusedWith: this.refusedWith,
    };
    this.#log(endLogLine(end, this.direction, describeParty(this.party), context));
    this.#event({
      kind: 'Terminated',
      line: this.line,
      ref: this.ref,
      reason: terminationReason(end, context),
      detail: endDetail(end, this.direction, context),
    });
    this.#audio.dispose();
    this.#hooks.ended(this);
  }

  #event(event: CallEvent): void {
    this.#hooks.report({ kind: 'call', event });
  }

  #log({ direction, summary, error }: LogLine): void {
    this.#hooks.report(logReport(direction, summary, error));
  }
}
