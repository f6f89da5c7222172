import { err, ok, type Result } from '../../result.ts';
import { describeCharacter, findControl, findInvisible, percentDecode, shown } from '../text.ts';

/**
 * What a click-to-dial link asks for, once read: the shape a door acts on directly. The
 * readers, one per scheme, are tel.ts, callto.ts, sip-uri.ts and voispeed.ts; index.ts picks
 * one by scheme. Pure: no I/O, and nothing here throws, on any string.
 */

export type LinkScheme = 'tel' | 'callto' | 'sip' | 'sips' | 'voispeed';

/**
 * A number as RFC 3966 writes one, with its parameters: tel: links, and the user part of a
 * sip: URI. `number` is what is dialled, visual separators removed.
 */
export interface Subscriber {
  /** Digits with `+ * #` (a leading `+` only), or, in sip:, a user name. */
  readonly number: string;
  /** `;ext=`, digits only. */
  readonly extension?: string;
  /** `;phone-context=`: a domain name, or a `+` number without separators. */
  readonly context?: string;
  /** `;isub=`, the ISDN subaddress, percent-decoded. */
  readonly subaddress?: string;
}

export type DialLink =
  | (Subscriber & { readonly kind: 'dial'; readonly scheme: 'tel' })
  | (Subscriber & {
      readonly kind: 'dial';
      readonly scheme: 'sip' | 'sips';
      /** `host[:port]` as written; shown only, since the call goes out on the configured account. */
      readonly host?: string;
    })
  /** `number` is digits with `+ * #`, or a Skype-style name. */
  | { readonly kind: 'dial'; readonly scheme: 'callto'; readonly number: string }
  | {
      readonly kind: 'dial';
      readonly scheme: 'voispeed';
      /** Digits with `+ * #`. */
      readonly number: string;
      /** VOIspeed's ext_ID: free text that travels with the call (line, history, Integra). */
      readonly extId?: string;
    };

export type Link =
  | DialLink
  /** VOIspeed `D {call ID}`: end that call; null ends the user's first call. */
  | { readonly kind: 'drop'; readonly callId: string | null }
  /** VOIspeed `F {number}`: forward the first active call to `target` (see voispeed.ts). */
  | { readonly kind: 'forward'; readonly target: string }
  /** VOIspeed `U{user}@{domain},{md5 password},{internal},{url1}[,{url2}]`. */
  | {
      readonly kind: 'autoconfigure';
      readonly user: string;
      readonly domain: string;
      /** 32 hex digits as written: the hash the PBX expects. A secret: never log it. */
      readonly passwordMd5: string;
      /** The user's internal number (extension). */
      readonly internal: string;
      /** url1 and, when given, url2: `host[:port]` or a `ws://`/`wss://` URL. */
      readonly servers: readonly [string] | readonly [string, string];
    };

export type LinkErrorCode =
  | 'too-long'
  | 'empty'
  | 'unknown-scheme'
  | 'bad-encoding'
  | 'forbidden-character'
  | 'no-number'
  | 'bad-number'
  | 'bad-parameter'
  | 'bad-host'
  | 'bad-call-id'
  | 'bad-ext-id'
  | 'unknown-command'
  | 'bad-autoconfiguration';

export interface LinkError {
  readonly code: LinkErrorCode;
  /** One short line naming what was wrong; a received value appears cut to 40 characters. */
  readonly message: string;
  /** The scheme, once it was recognised. */
  readonly scheme?: LinkScheme;
}

export type LinkResult<T> = Result<T, LinkError>;

/** The whole link as received; longer ones are refused before they are read. */
export const LINK_LIMIT = 2048;
/** What is dialled: the limit of a Command's dial string. */
export const NUMBER_LIMIT = 64;
/** ext_ID, call IDs, user names, subaddresses, extensions. */
export const FIELD_LIMIT = 64;
/** A domain name, as DNS caps it. */
export const HOST_LIMIT = 253;

export const linkFail = (
  scheme: LinkScheme | null,
  code: LinkErrorCode,
  message: string,
): { readonly ok: false; readonly error: LinkError } =>
  err(scheme === null ? { code, message } : { code, message: `${scheme}: ${message}`, scheme });

/** The text back when clean; refused, naming the character, when it holds a control or invisible one. */
export function refuseHidden(scheme: LinkScheme | null, text: string): LinkResult<string> {
  const found = findControl(text) ?? findInvisible(text);
  if (found === null) return ok(text);
  const message = `link contains ${describeCharacter(found.codePoint)}`;
  return linkFail(scheme, 'forbidden-character', message);
}

/** Percent-decodes one part of a link, then refuses what decoding may have revealed. */
export function decodePart(scheme: LinkScheme, text: string): LinkResult<string> {
  const decoded = percentDecode(text);
  if (decoded === null)
    return linkFail(scheme, 'bad-encoding', 'link has a malformed percent-escape');
  return refuseHidden(scheme, decoded);
}

/**
 * RFC 3966's visual separators `- . ( )`, and white space: people write numbers with spaces
 * (`+44 20 7946 0000`), and any Unicode space counts, because a number copied
 * from a word processor brings no-break spaces. Controls never get this far (refuseHidden).
 */
const SEPARATORS = /[-.()\s]/gu;
const PHONE_RULE = 'a number holds digits, + * # and the separators - . ( ) and space';

/**
 * Reads a phone number: separators removed, `+` only in front, at least one digit, `*` or `#`.
 * The caller trims nothing: white space at either end is a separator like any other.
 */
export function readPhone(scheme: LinkScheme, text: string, what: string): LinkResult<string> {
  const number = text.replace(SEPARATORS, '');
  if (number === '') return linkFail(scheme, 'no-number', `link has no ${what}`);
  const bad = /[^0-9*#+]/u.exec(number)?.[0] ?? (number.lastIndexOf('+') > 0 ? '+' : undefined);
  if (bad !== undefined) {
    const message = `${what} ${shown(text.trim())} contains ${shown(bad)}; ${PHONE_RULE}`;
    return linkFail(scheme, 'bad-number', message);
  }
  if (number === '+') return linkFail(scheme, 'no-number', `link has no ${what}`);
  if (number.length > NUMBER_LIMIT) {
    const message = `${what} is ${number.length} characters long; the limit is ${NUMBER_LIMIT}`;
    return linkFail(scheme, 'bad-number', message);
  }
  return ok(number);
}

/** Looks like a phone number (digits, `+ * #` and separators) rather than a user name. */
const isPhoneLike = (text: string): boolean => /^[0-9+*#\-.()\s]*$/u.test(text);

/**
 * A SIP user name or Skype name: RFC 3261's unreserved and user-unreserved characters, minus
 * the delimiters `; ? /` and the quote and brackets, which no one puts in a name they dial.
 */
const NOT_IN_NAME = /[^A-Za-z0-9\-_.!~*&=+$,]/u;
const NAME_RULE = 'a user name holds letters, digits and - _ . ! ~ * & = + $ ,';

function readName(scheme: LinkScheme, text: string, what: string): LinkResult<string> {
  if (text === '') return linkFail(scheme, 'no-number', `link has no ${what}`);
  const bad = NOT_IN_NAME.exec(text)?.[0];
  if (bad !== undefined) {
    const message = `${what} ${shown(text)} contains ${shown(bad)}; ${NAME_RULE}`;
    return linkFail(scheme, 'bad-number', message);
  }
  if (text.length > NUMBER_LIMIT) {
    const message = `${what} is ${text.length} characters long; the limit is ${NUMBER_LIMIT}`;
    return linkFail(scheme, 'bad-number', message);
  }
  return ok(text);
}

const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/u;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/u;

/** A DNS name (labels of letters, digits and inner hyphens) or a dotted IPv4 address. */
export const isDomain = (text: string): boolean =>
  text.length <= HOST_LIMIT && (IPV4.test(text) || text.split('.').every((l) => LABEL.test(l)));

/** `host`, `host:port`, `[v6]` or `[v6]:port`, where a port is 1-65535. */
export function isHostPort(text: string): boolean {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]]+)(?::([0-9]{1,5}))?$/u.exec(text);
  if (match === null) return false;
  const [, host = '', port] = match;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return false;
  return host.startsWith('[') ? host.includes(':') : isDomain(host);
}

/** `#` starts a URI's fragment, so a formatter writes it escaped; nothing else a number holds needs it. */
export const encodeNumber = (number: string): string => number.replaceAll('#', '%23');

/**
 * What is dialled, from its percent-encoded text: a phone number, or, where `name` says what
 * the scheme calls one (sip: a user, callto: a Skype name), a name when it does not look like
 * a number. A name is trimmed: around it, spaces are only padding.
 */
export function readDialTarget(
  scheme: LinkScheme,
  raw: string,
  name: 'user' | 'name' | null,
): LinkResult<string> {
  const decoded = decodePart(scheme, raw);
  if (!decoded.ok) return decoded;
  const text = decoded.value;
  if (name === null || isPhoneLike(text)) return readPhone(scheme, text, 'number');
  return readName(scheme, text.trim(), name);
}
