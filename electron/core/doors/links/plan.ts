import type { CommandError } from '../../../../shared/model/command-error.ts';
import { CommandSchema, type Command } from '../../../../shared/model/command.ts';
import type { Call, LineTable } from '../../../../shared/model/line-table.ts';
import type { DialLink, Link } from '../../../../shared/protocols/links/index.ts';
import { accountFromLink, describeAccount, type LinkAccount } from './account.ts';

/**
 * What the links door does with a link it has read: act at once, ask the person first, or
 * refuse, saying why. Pure, so every decision is unit-tested without a socket.
 *
 * - A dial link dials at once, or asks first when "Ask before dialing links" is on.
 * - `D` (end a call), `F` (forward one) and autoconfiguration always ask first: a link can
 *   come from any web page, and these end someone's call or change the account.
 * - The question comes before the backend is consulted: whatever the backend cannot do is
 *   answered after Yes, with its own capability error, in the Comms Manager and the log.
 */

export type LinkRefusal =
  | CommandError
  | { readonly code: 'malformed-link'; readonly message: string }
  | { readonly code: 'too-many-questions'; readonly message: string }
  /** A D or F link names no call that is on a line now. */
  | { readonly code: 'no-such-call'; readonly message: string }
  | { readonly code: 'settings-refused'; readonly message: string };

export type LinkAction =
  | {
      readonly kind: 'command';
      readonly command: Command;
      /** The call it acts on, which must still be on its line when Yes comes. */
      readonly call: { readonly line: number; readonly id: string } | null;
      /** What was done, in words: "dialled 187". */
      readonly done: string;
    }
  | { readonly kind: 'set-up-account'; readonly account: LinkAccount; readonly done: string };

export type LinkPlan =
  | { readonly kind: 'refuse'; readonly error: LinkRefusal }
  | { readonly kind: 'act'; readonly action: LinkAction }
  | {
      readonly kind: 'ask';
      readonly question: string;
      readonly detail: string;
      readonly action: LinkAction;
    };

export interface LinkSituation {
  readonly table: LineTable;
  readonly askBeforeDialing: boolean;
}

const NO_CHANGES = 'No changes nothing.';

export function planLink(link: Link, situation: LinkSituation): LinkPlan {
  switch (link.kind) {
    case 'dial':
      return planDial(link, situation.askBeforeDialing);
    case 'drop':
      return planDrop(link.callId, situation.table);
    case 'forward':
      return planForward(link.target, situation.table);
    case 'autoconfigure': {
      const account = accountFromLink(link);
      if (!account.ok) return refuse('malformed-link', account.error);
      const name = `${account.value.user}@${account.value.domain}`;
      return {
        kind: 'ask',
        question: `Set up the SIP account ${name} from a link?`,
        detail: `A voispeed: link asks to replace the SIP account in Settings with ${describeAccount(account.value)} Yes saves it and registers; ${NO_CHANGES}`,
        action: {
          kind: 'set-up-account',
          account: account.value,
          done: `the SIP account ${name} was set up`,
        },
      };
    }
  }
}

/** The link in words for the integration log: what it asks for, never the password hash. */
export function describeLink(link: Link): string {
  switch (link.kind) {
    case 'dial':
      return `dial ${link.number}${dialNotes(link)}`;
    case 'drop':
      return link.callId === null ? 'end the first call' : `end call ${link.callId}`;
    case 'forward':
      return `forward the first connected call to ${link.target}`;
    case 'autoconfigure':
      return `set up the SIP account ${link.user}@${link.domain}, internal number ${link.internal}, server ${link.servers.join(' then ')}`;
  }
}

const refuse = (code: 'malformed-link', message: string): LinkPlan => ({
  kind: 'refuse',
  error: { code, message },
});

const noCall = (message: string): LinkPlan => ({
  kind: 'refuse',
  error: { code: 'no-such-call', message },
});

/** What a link carries besides the number, and what becomes of it. */
function dialNotes(link: DialLink): string {
  const notes: string[] = [];
  if (link.scheme === 'voispeed' && link.extId !== undefined) notes.push(`ext_ID "${link.extId}"`);
  if (
    (link.scheme === 'tel' || link.scheme === 'sip' || link.scheme === 'sips') &&
    link.extension
  ) {
    // Dialled after the call connects, by hand: a backend has no portable way to wait for it.
    notes.push(`extension ${link.extension} to key in once answered`);
  }
  if (link.scheme === 'tel' && link.context !== undefined && !link.context.startsWith('+')) {
    // A domain context names no digits: the local number goes as it is, and says so.
    notes.push(`a local number of ${link.context}`);
  }
  if (
    (link.scheme === 'tel' || link.scheme === 'sip' || link.scheme === 'sips') &&
    link.subaddress
  ) {
    notes.push(`subaddress ${link.subaddress} not used`);
  }
  if ((link.scheme === 'sip' || link.scheme === 'sips') && link.host !== undefined) {
    // A web page must not choose where the call goes: it leaves on the configured account.
    notes.push(`on your own account, not ${link.host}`);
  }
  return notes.length === 0 ? '' : ` (${notes.join('; ')})`;
}

/**
 * The number a link dials. RFC 3966: a local number's `;phone-context=` that is a global
 * number prefix completes it (`tel:863-1234;phone-context=+1-914-555` is +19145558631234);
 * dialled bare, it could reach a different number from another area.
 */
function dialledNumber(link: DialLink): string {
  if (link.scheme !== 'tel' || link.number.startsWith('+')) return link.number;
  const context = link.context;
  return context !== undefined && /^\+[0-9]+$/.test(context)
    ? `${context}${link.number}`
    : link.number;
}

function planDial(given: DialLink, askFirst: boolean): LinkPlan {
  const link = { ...given, number: dialledNumber(given) };
  const tag = link.scheme === 'voispeed' ? link.extId : undefined;
  // The parser's limits match the command's; checked again so a change in one cannot slip by.
  const command = CommandSchema.safeParse({
    kind: 'MakeCall',
    number: link.number,
    ...(tag === undefined ? {} : { tag }),
  });
  if (!command.success) {
    return refuse('malformed-link', `${link.scheme}: ${command.error.issues[0]?.message ?? ''}`);
  }
  const action: LinkAction = {
    kind: 'command',
    command: command.data,
    call: null,
    done: `dialled ${link.number}${dialNotes(link)}`,
  };
  if (!askFirst) return { kind: 'act', action };
  return {
    kind: 'ask',
    question: `Call ${link.number}?`,
    detail: `A ${link.scheme}: link asks to call ${link.number}${dialNotes(link)}. Yes dials it; ${NO_CHANGES}`,
    action,
  };
}

/** Who is on the call, as the line card shows them. */
function party(call: Call): string {
  if (call.number === '') return call.callerId || 'an unknown number';
  return call.callerId === '' ? call.number : `${call.number} (${call.callerId})`;
}

interface OnLine {
  readonly line: number;
  readonly call: Call;
}

const calls = (table: LineTable): OnLine[] =>
  table.lines.flatMap(({ line, call }) => (call ? [{ line, call }] : []));

/**
 * "In its absence the first call is disconnected": the call on the lowest line. A call ID
 * is VOIspeed's server's (Integra's !05), matched against our call id and the backend's ref.
 */
function planDrop(callId: string | null, table: LineTable): LinkPlan {
  const target =
    callId === null
      ? calls(table)[0]
      : calls(table).find(({ call }) => call.id === callId || call.ref === callId);
  if (target === undefined) {
    return noCall(
      callId === null ? 'there is no call to end' : `no call with ID ${callId} is on a line`,
    );
  }
  const { line, call } = target;
  const named = callId === null ? '' : ` (call ID ${callId})`;
  return {
    kind: 'ask',
    question: `End the call with ${party(call)} on line ${line}?`,
    detail: `A voispeed: link asks to end this call${named}. Yes ends it; ${NO_CHANGES}`,
    action: {
      kind: 'command',
      command: { kind: 'Drop', line },
      call: { line, id: call.id },
      done: `ended the call with ${party(call)} on line ${line}`,
    },
  };
}

/** "Forward the active call": the connected call on the lowest line, sent on blind. */
function planForward(target: string, table: LineTable): LinkPlan {
  const active = calls(table).find(({ call }) => call.phase === 'established');
  if (active === undefined) return noCall('there is no connected call to forward');
  const { line, call } = active;
  return {
    kind: 'ask',
    question: `Transfer the call with ${party(call)} on line ${line} to ${target}?`,
    detail: `A voispeed: link asks to forward this call to ${target}; it leaves this phone at once. Yes transfers it; ${NO_CHANGES}`,
    action: {
      kind: 'command',
      command: { kind: 'Transfer', line, target },
      call: { line, id: call.id },
      done: `transferred the call with ${party(call)} on line ${line} to ${target}`,
    },
  };
}
