import type { CallEvent } from '../model/call-event.ts';
import { err, ok, type Result } from '../result.ts';
import {
  codePointLabel,
  cutText,
  describeCharacter,
  findControl,
  findInvisible,
  formDecode,
  matchSpelling,
  percentDecode,
  percentEncodeLossy,
  quoteIfNeeded,
  shown,
  trimSpan,
  unquoteSpan,
  type FoundCharacter,
  type Span,
} from './text.ts';

/**
 * Season Office's listen-port dialect: `GET /telephony?NO=&LINE=&CALLERID=&ACTION=` sent by
 * a third-party PBX (`specs/season-office-comms-manager.txt`). The TelephonyIntegration
 * command line, which builds the same query, is read in `season-office-args.ts`. Pure: no
 * I/O, and nothing here throws.
 */

export type SeasonAction =
  'incoming' | 'established' | 'onhold' | 'holdresume' | 'lineselect' | 'terminated';

export interface TelephonyRequest {
  readonly action: SeasonAction;
  readonly line: number;
  /** No LINE was given (or it was empty), so `line` is 1. */
  readonly lineDefaulted: boolean;
  /**
   * NO, trimmed, with `+` kept as a plus (see `decodeValue`), holding only what `readNumber`
   * allows; empty when not given or withheld.
   */
  readonly number: string;
  /** CALLERID without its enclosing quotes; empty when not given. */
  readonly callerId: string;
  /** Keys that are not Season Office's, as written, once each, for the integration log. */
  readonly ignoredKeys: readonly string[];
}

export type SeasonOfficeErrorCode =
  | 'too-long'
  | 'too-many-parameters'
  | 'bad-encoding'
  | 'missing-action'
  | 'unknown-action'
  | 'bad-line'
  | 'bad-number'
  | 'bad-caller-id'
  | 'invisible-character'
  | 'conflicting-values'
  | 'unknown-key'
  | 'bad-argument'
  | 'missing-address'
  | 'bad-address';

export interface SeasonOfficeError {
  readonly code: SeasonOfficeErrorCode;
  /** One line that names the bad part. */
  readonly message: string;
  /** The key as written, when one key was wrong. */
  readonly key?: string;
  /** The offending value or argument as received (decoded), cut to 256 characters. */
  readonly value?: string;
  /** Offset into the string given to `parseTelephonyQuery` where the bad parameter starts. */
  readonly position?: number;
  /** Index into the argv given to `parseTelephonyArgs` (season-office-args.ts) of the bad argument. */
  readonly argument?: number;
  /** The refused character, with its index into `value` (as received, before the cut). */
  readonly character?: FoundCharacter;
}

export const SEASON_QUERY_LIMIT = 4096;
export const SEASON_PARAMETER_LIMIT = 32;
export const SEASON_NUMBER_LIMIT = 64;
export const SEASON_CALLER_ID_LIMIT = 128;
export const SEASON_MAX_LINE = 64;

export type SeasonKey = 'no' | 'line' | 'callerid' | 'action';

const KEYS: readonly (readonly [SeasonKey, string, string])[] = [
  ['no', 'n', 'NO'],
  ['line', 'l', 'LINE'],
  ['callerid', 'i', 'CALLERID'],
  ['action', 'a', 'ACTION'],
];

const ACTIONS: readonly (readonly [SeasonAction, string])[] = [
  ['incoming', 'i'],
  ['established', 'e'],
  ['onhold', 'h'],
  ['holdresume', 'r'],
  ['lineselect', 'l'],
  ['terminated', 't'],
];

const ACTION_LIST = ACTIONS.map(([long, short]) => `${long} (${short})`.toUpperCase()).join(', ');

const keyName = (key: SeasonKey): string => KEYS.find(([long]) => long === key)?.[2] ?? key;

/** A key, long or short, in any case, to its long name; null when it is not Season Office's. */
export const seasonKey = (text: string): SeasonKey | null => matchSpelling(KEYS, text);

type Part = {
  key?: string;
  value?: string;
  position?: number;
  argument?: number;
  character?: FoundCharacter;
};

function fail(
  code: SeasonOfficeErrorCode,
  message: string,
  part: Part = {},
): { readonly ok: false; readonly error: SeasonOfficeError } {
  const value = part.value === undefined ? {} : { value: cutText(part.value, 256) };
  return err({ code, message, ...part, ...value });
}

/**
 * A value is form-decoded (`+` is a space) except NO's, where `+` stays a plus. A PBX
 * template that writes `no=+4930123456` without percent-encoding means an international
 * number, and reading it as a space would lose the `+` to trimming and dial a different
 * number. A number with spaces arrives as `%20`, and one that a form encoder wrote with
 * `+` for its spaces (`%2B49+30+123456`) keeps them as pluses: a visibly odd number beats
 * a silently wrong one. CALLERID stays form-decoded: `Datos+Software` is a form-encoded
 * name, and a name with a plus in it (`C++ Ltd`) comes as `%2B`, as form encoding writes it.
 */
function decodeValue(key: SeasonKey | null, raw: string): string | null {
  return key === 'no' ? percentDecode(raw) : formDecode(raw);
}

type Located = { readonly key: string; readonly position: number };

/** The rule that `readNumber` explains, as data. */
const NUMBER_RULE = 'a number holds digits, + * # and the separators space - . / ( )';
const NOT_IN_NUMBER = /[^0-9+*#\-./() ]/u;
const WITHHELD = ['anonymous', 'unknown', 'private', 'restricted', 'unavailable', 'withheld'];

/**
 * What NO may hold. The vendor document says only "the phone number" (`NO=02838362002`), and
 * the number is shown on the alert as the caller, kept in history and dialled back, so NO is
 * held to what phone numbers are written with, in ASCII:
 * - digits; `+` for an international number (and inside, where a form encoder wrote spaces,
 *   see `decodeValue`); `*` and `#` for PBX feature codes (`*97`, `#31#`) and for TelServer's
 *   `*****` in place of a hidden number;
 * - the visual separators that people and PBXs write: space, `-`, `.`, `/` and `( )`
 *   (`+49 (0)30 123-456`, `030/123 456`, `+44.20.7946.0000`);
 * and at least one digit, `*` or `#`. Internal extensions (`201`) are numbers like any other.
 *
 * Everything else is refused, naming the character: letters, because `O` and `0`, `l` and `1`
 * look alike, and fullwidth or Arabic-Indic digits look like ASCII ones; markup; pauses and
 * extension suffixes (`,`, `x12`), which a caller's number never carries; and SIP URIs, because
 * `sip:100@host` would put a host chosen by the sender into a call-back, while a PBX template
 * sends the user part (Asterisk's `${CALLERID(num)}`) as a number.
 *
 * One exception: the words PBXs put where a withheld number would be (`anonymous` from Asterisk
 * and most SIP trunks, `unknown`, `private`, `restricted`, `unavailable`, `withheld`), in any
 * case, read as no number. They cannot pass for digits, and refusing them would drop the alert
 * of every withheld call; the UI shows a call without a number as an unknown number.
 */
function readNumber(raw: string, span: Span, part: Part): Result<string | null, SeasonOfficeError> {
  const text = raw.slice(span.start, span.end);
  if (WITHHELD.includes(text.toLowerCase())) return ok(null);
  const bad = NOT_IN_NUMBER.exec(text);
  if (bad !== null) {
    const character = {
      codePoint: text.codePointAt(bad.index) ?? 0,
      index: span.start + bad.index,
    };
    const written = shown(String.fromCodePoint(character.codePoint));
    const message = `NO ${shown(raw)} contains ${written} (${codePointLabel(character.codePoint)}) at index ${character.index}; ${NUMBER_RULE}`;
    return fail('bad-number', message, { ...part, character });
  }
  if (!/[0-9*#]/.test(text)) {
    return fail('bad-number', `NO ${shown(raw)} has no digit; ${NUMBER_RULE}`, part);
  }
  return ok(text);
}

/** The normalised value of one parameter (as a string), or null when it is empty. */
function readValue(
  key: SeasonKey,
  raw: string,
  at: Located,
): Result<string | null, SeasonOfficeError> {
  const name = keyName(key);
  const part = { ...at, value: raw };
  // A party is checked as received, before trimming, which would drop a BOM at either end.
  const hidden = key === 'no' || key === 'callerid' ? findInvisible(raw) : null;
  if (hidden !== null) {
    const message = `${name} ${shown(raw)} contains an invisible character, ${describeCharacter(hidden.codePoint)}, at index ${hidden.index}`;
    return fail('invisible-character', message, { ...part, character: hidden });
  }
  const quoted = unquoteSpan(raw);
  const span = key === 'callerid' ? quoted : trimSpan(raw, quoted);
  const text = raw.slice(span.start, span.end);
  if (text === '') return ok(null);
  if (key === 'action') {
    const action = matchSpelling(ACTIONS, text);
    if (action !== null) return ok(action);
    return fail('unknown-action', `${name} ${shown(text)} is not one of ${ACTION_LIST}`, part);
  }
  if (key === 'line') {
    const line = /^[0-9]+$/.test(text) ? Number(text) : NaN;
    if (line >= 1 && line <= SEASON_MAX_LINE) return ok(String(line));
    const message = `${name} ${shown(text)} is not a whole number from 1 to ${SEASON_MAX_LINE}`;
    return fail('bad-line', message, part);
  }
  const [code, limit] =
    key === 'no'
      ? (['bad-number', SEASON_NUMBER_LIMIT] as const)
      : (['bad-caller-id', SEASON_CALLER_ID_LIMIT] as const);
  if (text.length > limit) {
    const message = `${name} ${shown(text)} is ${text.length} characters long; the limit is ${limit}`;
    return fail(code, message, part);
  }
  const control = findControl(text);
  if (control !== null) {
    const character = { ...control, index: span.start + control.index };
    const message = `${name} ${shown(raw)} contains a control character (${codePointLabel(character.codePoint)}) at index ${character.index}`;
    return fail(code, message, { ...part, character });
  }
  return key === 'no' ? readNumber(raw, span, part) : ok(text);
}

/**
 * Reads the query of `GET /telephony?...`, with or without its leading `?`.
 *
 * Repeated keys (long and short spellings count as the same key): a PBX template that
 * sends a parameter twice with the same meaning (`line=1&l=1`, `a=i&action=INCOMING`) is
 * accepted, and an empty repeat (`no=&no=0123`) does not count. Two different values are
 * refused as `conflicting-values`: alerting a call on the wrong line, or with the wrong
 * action, is worse than a refusal that the integration log explains.
 *
 * A missing or empty LINE means line 1, with `lineDefaulted` set so the log can say so:
 * single-line PBX templates leave it out, and line 1 is the line every example uses.
 */
export function parseTelephonyQuery(query: string): Result<TelephonyRequest, SeasonOfficeError> {
  const start = query.startsWith('?') ? 1 : 0;
  const body = query.slice(start);
  if (body.length > SEASON_QUERY_LIMIT) {
    const message = `the query is ${body.length} characters long; the limit is ${SEASON_QUERY_LIMIT}`;
    return fail('too-long', message);
  }
  const segments: { text: string; position: number }[] = [];
  let position = start;
  for (const text of body.split('&')) {
    if (text.trim() !== '') segments.push({ text, position });
    position += text.length + 1;
  }
  if (segments.length > SEASON_PARAMETER_LIMIT) {
    const message = `the query has ${segments.length} parameters; the limit is ${SEASON_PARAMETER_LIMIT}`;
    return fail('too-many-parameters', message);
  }

  const fields = new Map<SeasonKey, Located & { readonly value: string }>();
  const ignoredKeys: string[] = [];
  let emptyAction: Located | null = null;
  for (const segment of segments) {
    const eq = segment.text.indexOf('=');
    const rawKey = eq < 0 ? segment.text : segment.text.slice(0, eq);
    const keyText = formDecode(rawKey);
    const key = keyText === null ? null : seasonKey(keyText);
    const valueText = decodeValue(key, eq < 0 ? '' : segment.text.slice(eq + 1));
    if (keyText === null || valueText === null) {
      const message = `parameter ${shown(segment.text)} has a malformed percent-escape`;
      return fail('bad-encoding', message, {
        key: keyText ?? rawKey,
        value: segment.text,
        position: segment.position,
      });
    }
    if (key === null) {
      if (!ignoredKeys.includes(keyText)) ignoredKeys.push(keyText);
      continue;
    }
    const at = { key: keyText, position: segment.position };
    const read = readValue(key, valueText, at);
    if (!read.ok) return read;
    if (read.value === null) {
      if (key === 'action') emptyAction ??= at;
      continue;
    }
    const previous = fields.get(key);
    if (previous === undefined) {
      fields.set(key, { ...at, value: read.value });
    } else if (previous.value !== read.value) {
      const message = `${keyName(key)} is given twice with different values: ${shown(previous.value)} and ${shown(read.value)}`;
      return fail('conflicting-values', message, { ...at, value: valueText });
    }
  }

  const action = fields.get('action');
  if (action === undefined) {
    const message =
      emptyAction === null
        ? `ACTION is missing; it must be one of ${ACTION_LIST}`
        : `ACTION is empty; it must be one of ${ACTION_LIST}`;
    return fail('missing-action', message, emptyAction ?? {});
  }
  const line = fields.get('line');
  return ok({
    action: action.value as SeasonAction,
    line: line === undefined ? 1 : Number(line.value),
    lineDefaulted: line === undefined,
    number: fields.get('no')?.value ?? '',
    callerId: fields.get('callerid')?.value ?? '',
    ignoredKeys,
  });
}

/** The shared vocabulary's reading of a request. */
export function toCallEvent(request: TelephonyRequest): CallEvent {
  const { line, number, callerId } = request;
  const caller = callerId === '' ? {} : { callerId };
  switch (request.action) {
    case 'incoming':
      return { kind: 'Incoming', line, number, ...caller };
    case 'established':
      return { kind: 'Established', line, ...(number === '' ? {} : { number }), ...caller };
    case 'onhold':
      return { kind: 'Held', line };
    case 'holdresume':
      return { kind: 'Resumed', line };
    case 'lineselect':
      return { kind: 'LineSelected', line };
    case 'terminated':
      return { kind: 'Terminated', line };
  }
}

/** A short reading for the integration log: `INCOMING on line 1 from 012345678901 "Datos"`. */
export function describeTelephonyRequest(request: TelephonyRequest): string {
  const line = `line ${request.line}${request.lineDefaulted ? ' (no LINE given)' : ''}`;
  const party = [request.number, request.callerId === '' ? '' : shown(request.callerId)]
    .filter((part) => part !== '')
    .join(' ');
  const preposition = request.action === 'incoming' ? 'from' : 'with';
  const ignored =
    request.ignoredKeys.length === 0
      ? ''
      : `; ignored ${request.ignoredKeys.map((key) => shown(key)).join(', ')}`;
  return `${request.action.toUpperCase()} on ${line}${party === '' ? '' : ` ${preposition} ${party}`}${ignored}`;
}

/**
 * Builds the query (without `?`) in the order the vendor document writes it. Empty NO and
 * CALLERID are left out, and so is LINE when it was defaulted; `ignoredKeys` is not sent.
 * Lone surrogates, which `parseTelephonyQuery` never returns, become U+FFFD.
 */
export function formatTelephonyQuery(request: TelephonyRequest, form: 'long' | 'short'): string {
  const short = form === 'short';
  const action = ACTIONS.find(([long]) => long === request.action)?.[1] ?? 'i';
  const pairs: [string, string][] = [];
  if (!request.lineDefaulted) pairs.push([short ? 'l' : 'line', String(request.line)]);
  if (request.number !== '') pairs.push([short ? 'n' : 'no', quoteIfNeeded(request.number)]);
  pairs.push([short ? 'a' : 'action', short ? action : request.action]);
  if (request.callerId !== '') {
    pairs.push([short ? 'i' : 'callerid', quoteIfNeeded(request.callerId)]);
  }
  return pairs.map(([key, value]) => `${key}=${percentEncodeLossy(value)}`).join('&');
}

/** The one-line message, with where the bad part was. */
export function formatSeasonOfficeError(error: SeasonOfficeError): string {
  if (error.argument !== undefined) return `${error.message} (argument ${error.argument + 1})`;
  if (error.position !== undefined) return `${error.message} (at character ${error.position + 1})`;
  return error.message;
}

/** For `season-office-args.ts`, which reads the command line into this dialect's query. */
export { fail as seasonFail };
