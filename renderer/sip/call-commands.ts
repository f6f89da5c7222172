import * as JsSIP from 'jssip';
import type { IncomingResponse } from 'jssip/lib/SIPMessage';
import type { EngineAccount } from '../../shared/bridge/engine.ts';
import type { Command } from '../../shared/model/command.ts';
import { err, ok } from '../../shared/result.ts';
import type { CallBook, EngineError, Outcome } from './call-book.ts';
import { chooseCall, FITS, type CallSlot } from './call-choice.ts';
import type { SipCall } from './call.ts';
import { dialTarget, type DialTarget } from './dial-target.ts';
import { isLineFree, pickLine } from './line-picker.ts';
import { statusWords } from './reason.ts';
import { replacesUriHeader } from './replaces.ts';

/**
 * Commands from the core carried out on the engine's calls. Each answers at once with
 * whether it was accepted; what then happens on the wire comes back as CallEvents.
 */

export interface CommandScope {
  readonly ua: JsSIP.UA;
  readonly account: EngineAccount;
  readonly book: CallBook;
  /** Why the UA cannot act now (not connected), or null when it can. */
  readonly unavailable: string | null;
}

const refuse = (code: EngineError['code'], message: string): Outcome => err({ code, message });

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** Runs a JsSIP call that throws on a wrong state (InvalidStateError) as a refusal instead. */
function attempt(what: string, run: () => void): Outcome {
  try {
    run();
    return ok(null);
  } catch (error) {
    return refuse('not-allowed-now', `${what}: ${messageOf(error)}`);
  }
}

function find(
  scope: CommandScope,
  line: number | undefined,
  fits: (call: CallSlot) => boolean,
  what: string,
): SipCall | EngineError {
  const call = chooseCall(scope.book.calls, scope.book.table.selected, line, fits);
  if (call !== null) return call;
  return {
    code: 'no-call',
    message:
      line === undefined ? `there is no call to ${what}` : `line ${line} has no call to ${what}`,
  };
}

const isCall = (found: SipCall | EngineError): found is SipCall => 'session' in found;

function wrongPhase(call: SipCall, what: string): Outcome {
  return refuse(
    'not-allowed-now',
    `the call on line ${call.line} is ${call.phase}; it cannot be ${what}`,
  );
}

function target(scope: CommandScope, number: string): DialTarget | EngineError {
  const result = dialTarget(number, scope.account.uri);
  return result.ok ? result.value : { code: 'not-allowed-now', message: result.error.message };
}

function makeCall(scope: CommandScope, command: Extract<Command, { kind: 'MakeCall' }>): Outcome {
  if (scope.unavailable !== null) return refuse('backend-unavailable', scope.unavailable);
  const { book } = scope;
  const taken = book.takenLines();
  if (command.line !== undefined && !isLineFree(book.table, taken, command.line)) {
    return refuse('not-allowed-now', `line ${command.line} is busy`);
  }
  const line = command.line ?? pickLine(book.table, taken, book.table.selected);
  if (line === null) return refuse('not-allowed-now', 'every line is busy');
  const dialled = target(scope, command.number);
  if (!('target' in dialled)) return err(dialled);
  book.holdOthers(null);
  return book.dial(scope.ua, dialled, line);
}

function answer(scope: CommandScope, line: number | undefined): Outcome {
  const call = find(scope, line, FITS.answer, 'answer');
  if (!isCall(call)) return err(call);
  if (!FITS.answer(call)) return wrongPhase(call, 'answered');
  scope.book.holdOthers(call);
  return attempt('the call could not be answered', () => {
    call.session.answer({ mediaConstraints: scope.book.mediaConstraints() });
  });
}

function drop(scope: CommandScope, line: number | undefined): Outcome {
  const call = find(scope, line, FITS.drop, 'end');
  if (!isCall(call)) return err(call);
  return attempt('the call could not be ended', () => {
    if (FITS.answer(call)) {
      call.refusedWith = '486 Busy Here';
      call.session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
    } else {
      // BYE when connected, CANCEL while dialling: JsSIP picks by the session's state.
      call.session.terminate();
    }
  });
}

function hold(scope: CommandScope, line: number | undefined): Outcome {
  const call = find(scope, line, FITS.hold, 'hold');
  if (!isCall(call)) return err(call);
  if (!FITS.connected(call)) return wrongPhase(call, 'held');
  call.setHold(true);
  return ok(null);
}

function retrieve(scope: CommandScope, line: number | undefined): Outcome {
  const call = find(scope, line, FITS.retrieve, 'retrieve');
  if (!isCall(call)) return err(call);
  if (!FITS.connected(call)) return wrongPhase(call, 'retrieved');
  scope.book.holdOthers(call);
  call.setHold(false);
  return ok(null);
}

function alternate(scope: CommandScope): Outcome {
  const held = scope.book.calls.find((call) => call.phase === 'held');
  if (held === undefined) return refuse('no-call', 'there is no held call to swap to');
  scope.book.holdOthers(held);
  held.setHold(false);
  return ok(null);
}

/** The call a Transfer or Divert acts on, and where it goes; or why not. */
function callAndTarget(
  scope: CommandScope,
  command: { readonly line?: number | undefined; readonly target: string },
  fits: (call: CallSlot) => boolean,
  [what, done]: readonly [string, string],
): { call: SipCall; dialled: DialTarget } | Outcome {
  const call = find(scope, command.line, fits, what);
  if (!isCall(call)) return err(call);
  if (!fits(call)) return wrongPhase(call, done);
  const dialled = target(scope, command.target);
  return 'target' in dialled ? { call, dialled } : err(dialled);
}

/**
 * REFER `call`'s far end to `to` (for an attended transfer, a URI carrying the Replaces
 * of `consult`'s dialog). Our legs end once the far end reports the target answered
 * (NOTIFY 200).
 */
function refer(
  call: SipCall,
  to: { target: string | JsSIP.URI; number: string },
  consult: SipCall | null,
): Outcome {
  const how = consult === null ? '' : ` (replacing the call on line ${consult.line})`;
  call.log(`REFER ${call.party.number} to ${to.number}${how}`);
  const legs = consult === null ? [call] : [call, consult];
  return attempt('the call could not be transferred', () => {
    call.session.refer(to.target, {
      eventHandlers: {
        requestFailed: ({
          response,
          cause,
        }: {
          response: IncomingResponse | null;
          cause: string;
        }) => {
          const words =
            response === null ? cause : statusWords(response.status_code, response.reason_phrase);
          call.log(`transfer to ${to.number} refused`, words, 'in');
        },
        requestSucceeded: () => {
          for (const leg of legs) leg.transferring = true;
        },
        accepted: () => {
          // The far end reached the target: our part is done, on both legs.
          for (const leg of legs) {
            leg.transferred = true;
            if (!leg.session.isEnded()) leg.session.terminate();
          }
        },
        failed: ({
          status_line,
        }: {
          status_line: { status_code: number; reason_phrase: string };
        }) => {
          for (const leg of legs) leg.transferring = false;
          const words = statusWords(status_line.status_code, status_line.reason_phrase);
          call.log(`transfer to ${to.number} failed`, words, 'in');
        },
      },
    });
  });
}

function transfer(scope: CommandScope, command: Extract<Command, { kind: 'Transfer' }>): Outcome {
  const { target: to } = command;
  if (to === undefined) return attendedTransfer(scope, command.line);
  const found = callAndTarget(scope, { ...command, target: to }, FITS.connected, [
    'transfer',
    'transferred',
  ]);
  if ('ok' in found) return found;
  return refer(found.call, found.dialled, null);
}

/**
 * Transfer without a target joins the two calls that are up: the far end of the call on
 * `line` is sent to the other call's far end, which it replaces (RFC 3891). With a third
 * call up there is no telling which one is meant, so it is refused.
 */
function attendedTransfer(scope: CommandScope, line: number | undefined): Outcome {
  const call = find(scope, line, FITS.connected, 'transfer');
  if (!isCall(call)) return err(call);
  if (!FITS.connected(call)) return wrongPhase(call, 'transferred');
  const others = scope.book.calls.filter((other) => other !== call && FITS.connected(other));
  const [consult, ...more] = others;
  if (consult === undefined) {
    return refuse(
      'no-call',
      `there is no second call to transfer line ${call.line} to: call the target first, or give a number`,
    );
  }
  if (more.length > 0) {
    return refuse(
      'not-allowed-now',
      `more than two calls are up; end all but the two to join, or give a number`,
    );
  }
  const dialog = consult.dialog;
  if (dialog === null) {
    return refuse('not-allowed-now', `the call on line ${consult.line} is not answered yet`);
  }
  // Not JsSIP's `replaces` option: it swaps the tags of a call that came in (replaces.ts).
  const uri = consult.session.remote_identity.uri.clone();
  uri.setHeader('Replaces', replacesUriHeader(dialog));
  return refer(call, { target: uri, number: consult.party.number }, consult);
}

function mute(scope: CommandScope, command: Extract<Command, { kind: 'Mute' }>): Outcome {
  const call = find(scope, command.line, FITS.connected, command.muted ? 'mute' : 'unmute');
  if (!isCall(call)) return err(call);
  if (!FITS.connected(call)) return wrongPhase(call, command.muted ? 'muted' : 'unmuted');
  return attempt('the microphone could not be switched', () => {
    call.setMuted(command.muted);
  });
}

function silence(scope: CommandScope, line: number | undefined): Outcome {
  const call = find(scope, line, FITS.answer, 'silence');
  if (!isCall(call)) return err(call);
  if (!FITS.answer(call)) return wrongPhase(call, 'silenced');
  call.silence();
  return ok(null);
}

function divert(scope: CommandScope, command: Extract<Command, { kind: 'Divert' }>): Outcome {
  const found = callAndTarget(scope, command, FITS.answer, ['divert', 'diverted']);
  if ('ok' in found) return found;
  const { call, dialled } = found;
  call.log(`diverting ${call.party.number} to ${dialled.number}`);
  return attempt('the call could not be diverted', () => {
    call.diverted = true;
    call.refusedWith = '302 Moved Temporarily';
    call.session.terminate({
      status_code: 302,
      reason_phrase: 'Moved Temporarily',
      extraHeaders: [`Contact: <${dialled.target}>`],
    });
  });
}

function sendDtmf(scope: CommandScope, command: Extract<Command, { kind: 'SendDtmf' }>): Outcome {
  const call = find(scope, command.line, FITS.hold, 'send tones to');
  if (!isCall(call)) return err(call);
  if (call.phase !== 'established') return wrongPhase(call, 'sent tones');
  const info = scope.account.dtmf === 'info';
  const transportType = info ? JsSIP.C.DTMF_TRANSPORT.INFO : JsSIP.C.DTMF_TRANSPORT.RFC2833;
  call.log(`DTMF ${command.digits} to ${call.party.number} (${info ? 'SIP INFO' : 'RFC 4733'})`);
  return attempt('the tones could not be sent', () => {
    call.session.sendDTMF(command.digits, { transportType });
  });
}

export function runCommand(scope: CommandScope, command: Command): Outcome {
  switch (command.kind) {
    case 'MakeCall':
      return makeCall(scope, command);
    case 'Answer':
      return answer(scope, command.line);
    case 'Drop':
      return drop(scope, command.line);
    case 'Hold':
      return hold(scope, command.line);
    case 'Retrieve':
      return retrieve(scope, command.line);
    case 'Alternate':
      return alternate(scope);
    case 'Transfer':
      return transfer(scope, command);
    case 'Divert':
      return divert(scope, command);
    case 'SendDtmf':
      return sendDtmf(scope, command);
    case 'Mute':
      return mute(scope, command);
    case 'Silence':
      return silence(scope, command.line);
    case 'SelectLine': {
      // The core moves the selection; the engine keeps one call audible.
      const call = scope.book.calls.find((entry) => entry.line === command.line) ?? null;
      scope.book.holdOthers(call);
      return ok(null);
    }
    case 'Conference':
    case 'Pickup':
    case 'Forward':
    case 'DoNotDisturb':
      return refuse('not-capable', `${command.kind} is not supported by the SIP engine`);
  }
}
