import type { CallEvent } from '../model/call-event.ts';
import { err, ok, type Result } from '../result.ts';

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
  /** NO, trimmed, with `+` kept as a plus (see `decodeValue`); empty when not given. */
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

/** Long or short spelling, in any case, to the long name; the tables are never indexed. */
function lookup<T extends string>(table: readonly (readonly [T, ...string[]])[], text: string) {
  const lower = text.trim().toLowerCase();
  return table.find(([long, short]) => lower === long || lower === short)?.[0] ?? null;
}

const keyName = (key: SeasonKey): string => KEYS.find(([long]) => long === key)?.[2] ?? key;

/** A key, long or short, in any case, to its long name; null when it is not Season Office's. */
export const seasonKey = (text: string): SeasonKey | null => lookup(KEYS, text);

/**
 * C0/C1 controls and lone surrogates, plus the bidi embeddings, overrides and isolates
 * that could make a caller ID display as a different number (Trojan Source).
 */
const FORBIDDEN = /[\p{Cc}\p{Cs}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
const DOUBLE_QUOTES = '"“”„';
const SINGLE_QUOTES = "'‘’";

/** A value for a one-line message: quoted, cut, and with control characters escaped. */
function shown(text: string): string {
  const cut = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  const safe = cut.replace(
    new RegExp(FORBIDDEN.source, 'gu'),
    (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16).toUpperCase()}}`,
  );
  return `"${safe}"`;
}

function fail(
  code: SeasonOfficeErrorCode,
  message: string,
  part: { key?: string; value?: string; position?: number; argument?: number } = {},
): { readonly ok: false; readonly error: SeasonOfficeError } {
  const value = part.value === undefined ? {} : { value: part.value.slice(0, 256) };
  return err({ code, message, ...part, ...value });
}

/** `decodeURIComponent` and `encodeURIComponent` throw URIError; here they answer null. */
function attempt(code: (text: string) => string, text: string): string | null {
  try {
    return code(text);
  } catch {
    return null;
  }
}
const decode = (raw: string) => attempt(decodeURIComponent, raw.replaceAll('+', ' '));
const encode = (text: string) => attempt(encodeURIComponent, text);

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
  return key === 'no' ? attempt(decodeURIComponent, raw) : decode(raw);
}

/**
 * Trims, then strips one enclosing pair of quotes. Pairs are matched by family, not by
 * glyph, because the vendor document itself prints `CALLERID=”Datos Software Solutions”`.
 */
function unquote(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length < 2) return trimmed;
  const first = trimmed.charAt(0);
  const last = trimmed.charAt(trimmed.length - 1);
  const pair =
    (DOUBLE_QUOTES.includes(first) && DOUBLE_QUOTES.includes(last)) ||
    (SINGLE_QUOTES.includes(first) && SINGLE_QUOTES.includes(last));
  return pair ? trimmed.slice(1, -1) : trimmed;
}

function isQuote(c: string): boolean {
  return c !== '' && (DOUBLE_QUOTES.includes(c) || SINGLE_QUOTES.includes(c));
}

type Located = { readonly key: string; readonly position: number };

/** The normalised value of one parameter (as a string), or null when it is empty. */
function readValue(
  key: SeasonKey,
  raw: string,
  at: Located,
): Result<string | null, SeasonOfficeError> {
  const name = keyName(key);
  const part = { ...at, value: raw };
  const text = key === 'callerid' ? unquote(raw) : unquote(raw).trim();
  if (text === '') return ok(null);
  if (key === 'action') {
    const action = lookup(ACTIONS, text);
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
  const bad = FORBIDDEN.exec(text);
  if (bad !== null) {
    const hex = (bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    const message = `${name} ${shown(text)} contains a control character (U+${hex}) at index ${bad.index}`;
    return fail(code, message, part);
  }
  return ok(text);
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
    const keyText = decode(rawKey);
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

/** Quotes a NO or CALLERID value when the parser's trimming or unquoting would change it. */
function protect(value: string): string {
  const edge = isQuote(value.charAt(0)) || isQuote(value.charAt(value.length - 1));
  return edge || value !== value.trim() ? `"${value}"` : value;
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
  if (request.number !== '') pairs.push([short ? 'n' : 'no', protect(request.number)]);
  pairs.push([short ? 'a' : 'action', short ? action : request.action]);
  if (request.callerId !== '') pairs.push([short ? 'i' : 'callerid', protect(request.callerId)]);
  const safe = (text: string): string =>
    encode(text) ?? encodeURIComponent(text.replace(/\p{Cs}/gu, '\uFFFD'));
  return pairs.map(([key, value]) => `${key}=${safe(value)}`).join('&');
}

/** The one-line message, with where the bad part was. */
export function formatSeasonOfficeError(error: SeasonOfficeError): string {
  if (error.argument !== undefined) return `${error.message} (argument ${error.argument + 1})`;
  if (error.position !== undefined) return `${error.message} (at character ${error.position + 1})`;
  return error.message;
}

/** For `season-office-args.ts`, which reads the command line into this dialect's query. */
export { encode as encodeSeasonText, fail as seasonFail, shown as shownSeasonText };
