import type * as JsSIP from 'jssip';
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { IncomingRequest, OutgoingRequest } from 'jssip/lib/SIPMessage';
import type { IncomingRTCSessionEvent, RTCSessionEvent } from 'jssip/lib/UA';
import type { LineTable } from '../../shared/model/line-table.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { SipCall, tagOf } from './call.ts';
import type { DialTarget } from './dial-target.ts';
import { pickLine } from './line-picker.ts';
import { describeParty, partyOf } from './party.ts';
import type { Report } from './registration.ts';
import type { AudioDevices } from './audio-devices.ts';
import type { Ringer } from './ringer.ts';
import { logReport } from './shown-text.ts';

/**
 * The engine's calls: which session is on which line, new calls in (a line, or 486 when
 * every line is busy) and out, and the ring tone that follows them. The core's line table
 * stays the truth; this only knows the sessions behind it.
 */

export type EngineErrorCode = 'no-call' | 'not-allowed-now' | 'not-capable' | 'backend-unavailable';
export interface EngineError {
  readonly code: EngineErrorCode;
  readonly message: string;
}
export type Outcome = Result<null, EngineError>;

export interface CallBookDeps {
  readonly report: Report;
  /** The line table as the core last sent it (the store's). */
  readonly table: () => LineTable;
  readonly ringer: Ringer;
  /** Settings' microphone and speaker, as the system has them now. */
  readonly devices: AudioDevices;
}

interface PendingDial {
  readonly line: number;
  readonly number: string;
}

/** JsSIP's originators are strings at runtime; its types make them an ambient enum. */
function isIncoming(event: RTCSessionEvent): event is IncomingRTCSessionEvent {
  const originator: string = event.originator;
  return originator === 'remote';
}

function callIdOf(request: IncomingRequest | OutgoingRequest): string {
  // Incoming requests carry call_id at runtime too; JsSIP's types only declare the header.
  return 'call_id' in request ? request.call_id : request.getHeader('call-id');
}

export class CallBook {
  readonly #deps: CallBookDeps;
  readonly #calls = new Map<string, SipCall>();
  /** Set only while `ua.call()` runs: JsSIP announces the new session from inside it. */
  #pendingDial: PendingDial | null = null;

  constructor(deps: CallBookDeps) {
    this.#deps = deps;
  }

  get calls(): readonly SipCall[] {
    return [...this.#calls.values()];
  }

  get table(): LineTable {
    return this.#deps.table();
  }

  takenLines(): ReadonlySet<number> {
    return new Set(this.calls.map((call) => call.line));
  }

  /** The UA's `newRTCSession`: every session, ours (MakeCall) or the far end's. */
  readonly onSession = (event: RTCSessionEvent): void => {
    const { session, request } = event;
    const callId = callIdOf(request);
    if (isIncoming(event)) {
      this.#incoming(session, event.request, callId);
      return;
    }
    const pending = this.#pendingDial;
    this.#pendingDial = null;
    if (pending === null) {
      // Nothing of ours dials without MakeCall; a session JsSIP made by itself is ended.
      session.terminate();
      return;
    }
    const to = request.to.uri;
    const party = partyOf(pending.number, to.host, request.to.display_name);
    this.#add(session, {
      callId,
      line: pending.line,
      direction: 'outbound',
      party,
      localTag: tagOf(request.from.getParam<unknown>('tag')),
      remoteTag: null,
    });
  };

  /** Places a call on `line`; Dialing is reported before this returns. */
  dial(ua: JsSIP.UA, target: DialTarget, line: number): Outcome {
    this.#pendingDial = { line, number: target.number };
    try {
      ua.call(target.target, { mediaConstraints: this.mediaConstraints() });
    } catch (error) {
      return err({
        code: 'not-allowed-now',
        message: `${target.number} cannot be dialled: ${error instanceof Error ? error.message : String(error)}`,
      });
    } finally {
      this.#pendingDial = null;
    }
    return ok(null);
  }

  /** Audio only (JsSIP would ask for a camera too), from the microphone Settings chose. */
  mediaConstraints(): MediaStreamConstraints {
    return this.#deps.devices.microphone();
  }

  /** Puts every connected call but `except` on hold: one call is heard at a time. */
  holdOthers(except: SipCall | null): void {
    for (const call of this.calls) {
      if (call !== except && call.phase === 'established') call.setHold(true);
    }
  }

  /** For a core that reconnected: every call as it stands now. */
  resync(): void {
    const { lines } = this.table;
    for (const call of this.calls) {
      call.resync(lines.find((entry) => entry.line === call.line)?.call ?? null);
    }
  }

  /**
   * After the UA has stopped: JsSIP ends what it can itself; whatever is left (a call it
   * could not end cleanly) is reported ended, so no line stays busy for a call that is gone.
   */
  closeAll(): void {
    for (const call of this.calls) {
      if (!call.session.isEnded()) {
        try {
          call.session.terminate();
        } catch {
          // Already terminating: its 'failed' or 'ended' comes, or never will; either way
          // the line must be freed now.
        }
      }
      if (this.#calls.has(call.ref)) call.abandon();
    }
    this.#deps.ringer.set('off');
  }

  #incoming(session: RTCSession, request: IncomingRequest, callId: string): void {
    const from = request.from;
    const party = partyOf(from.uri.user, from.uri.host, from.display_name);
    const line = pickLine(this.table, this.takenLines());
    if (line === null) {
      // Inside newRTCSession, before JsSIP has sent 180: the caller hears busy at once.
      session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
      this.#deps.report(logReport('in', `INVITE from ${describeParty(party)}`));
      this.#deps.report(logReport('out', `486 Busy Here to ${party.number}: all lines are busy`));
      return;
    }
    this.#add(session, {
      callId,
      line,
      direction: 'inbound',
      party,
      // JsSIP picks our To tag before it announces the session; its types do not say so.
      localTag: 'to_tag' in request ? tagOf(request.to_tag) : null,
      remoteTag: tagOf(from.getParam<unknown>('tag')),
    });
  }

  #add(session: RTCSession, init: ConstructorParameters<typeof SipCall>[1]): void {
    const call = new SipCall(session, init, {
      report: this.#deps.report,
      speaker: this.#deps.devices.speaker(),
      changed: () => {
        this.#ring();
      },
      ended: (ended) => {
        this.#calls.delete(ended.ref);
        this.#ring();
      },
    });
    this.#calls.set(call.ref, call);
    if (call.direction === 'outbound') {
      // Dial() promises Dialing is reported before it returns.
      call.log(`INVITE to ${describeParty(call.party)}`);
      call.announce();
      this.#ring();
      return;
    }
    // Inside newRTCSession JsSIP has not sent its 180 yet: telling the core and starting
    // the ring tone wait until that handler has returned (a microtask runs after JsSIP's
    // synchronous reply), so the caller hears ringing sooner. Measured by the bench: these
    // were most of the page's ~4.5 ms from INVITE in to 180 out.
    queueMicrotask(() => {
      call.log(`INVITE from ${describeParty(call.party)}`, null, 'in');
      call.announce();
      this.#ring();
    });
  }

  /**
   * The ring tone follows the calls: ringing over nothing, call waiting over a call; a
   * silenced call alerts without a tone.
   */
  #ring(): void {
    const calls = this.calls;
    const ringing = calls.some((call) => call.phase === 'ringing' && !call.silenced);
    const busy = calls.some((call) => call.phase !== 'ringing');
    this.#deps.ringer.set(!ringing ? 'off' : busy ? 'waiting' : 'ring');
  }
}
