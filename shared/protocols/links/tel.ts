import { ok } from '../../result.ts';
import { percentEncodeLossy, shown } from '../text.ts';
import {
  decodePart,
  encodeNumber,
  FIELD_LIMIT,
  isDomain,
  linkFail,
  readDialTarget,
  readPhone,
  type DialLink,
  type LinkResult,
  type LinkScheme,
  type Subscriber,
} from './link.ts';

/**
 * `tel:` links, RFC 3966: `tel:+1-212-555-0100;ext=22`, `tel:0301234;phone-context=example.com`.
 *
 * Where this is more lenient than the RFC, it is because real links are:
 * - white space is a visual separator like `- . ( )` (`tel:+44 20 7946 0000`, or `%20` as a
 *   browser escapes it), and `tel://123/` (a habit borrowed from `callto://`) reads as `tel:123`;
 * - a local number needs no `;phone-context=`: business software writes `tel:<number>` with
 *   the number as the user sees it, and the call goes out on the user's own line anyway;
 * - RFC 3966 lets a local number hold the hex digits A-F; they are refused, as no dial plan
 *   uses them and `tel:face` should not dial;
 * - parameters may come in any order, their names in any case; unknown ones (`;tgrp=`, RFC
 *   4904's trunk parameters) are skipped, since they change nothing about what is dialled.
 * Each of ext, isub and phone-context may appear once (RFC 3966 section 3): a repeated one
 * is refused rather than guessed at. Parts are split on `;` before they are percent-decoded,
 * so an escaped `%3B` is data, never a delimiter.
 */

export type TelLink = Extract<DialLink, { scheme: 'tel' }>;

type Param = 'ext' | 'isub' | 'phone-context';
const PARAM_NAME = /^[A-Za-z0-9-]+$/u;

/** `;name=value` parameters after a subscriber's number, into a Subscriber's optional fields. */
function readParams(
  scheme: LinkScheme,
  params: readonly string[],
): LinkResult<Omit<Subscriber, 'number'>> {
  const found = new Map<Param, string>();
  for (const param of params) {
    if (param.trim() === '') continue; // `tel:123;` and `;;`: an empty parameter says nothing
    const eq = param.indexOf('=');
    const name = (eq < 0 ? param : param.slice(0, eq)).trim().toLowerCase();
    if (!PARAM_NAME.test(name)) {
      return linkFail(scheme, 'bad-parameter', `parameter ${shown(param)} is not name=value`);
    }
    if (name !== 'ext' && name !== 'isub' && name !== 'phone-context') continue;
    if (found.has(name)) return linkFail(scheme, 'bad-parameter', `link repeats ;${name}=`);
    const decoded = decodePart(scheme, eq < 0 ? '' : param.slice(eq + 1));
    if (!decoded.ok) return decoded;
    const read = readParam(scheme, name, decoded.value);
    if (!read.ok) return read;
    found.set(name, read.value);
  }
  const extension = found.get('ext');
  const subaddress = found.get('isub');
  const context = found.get('phone-context');
  return ok({
    ...(extension === undefined ? {} : { extension }),
    ...(context === undefined ? {} : { context }),
    ...(subaddress === undefined ? {} : { subaddress }),
  });
}

function readParam(scheme: LinkScheme, name: Param, value: string): LinkResult<string> {
  const text = value.trim();
  if (name === 'ext') {
    const digits = readPhone(scheme, text, ';ext=');
    if (digits.ok && /^[0-9]{1,64}$/u.test(digits.value)) return digits;
    return linkFail(scheme, 'bad-parameter', `;ext= ${shown(text)} is not digits`);
  }
  if (name === 'isub') {
    if (text !== '' && text.length <= FIELD_LIMIT) return ok(text);
    return linkFail(scheme, 'bad-parameter', `;isub= is empty or over ${FIELD_LIMIT} characters`);
  }
  // phone-context: RFC 3966's descriptor, a domain name or a global number's digits.
  if (text.startsWith('+')) {
    const digits = readPhone(scheme, text, ';phone-context=');
    if (digits.ok && /^\+[0-9]+$/u.test(digits.value)) return digits;
  } else if (text !== '' && isDomain(text)) {
    return ok(text);
  }
  const message = `;phone-context= ${shown(text)} is not a domain name or a + number`;
  return linkFail(scheme, 'bad-parameter', message);
}

/**
 * A subscriber: a number, then `;` parameters. Shared with sip-uri.ts, whose user part may be
 * a telephone-subscriber (`sip:+1-212-555-0100;ext=22@host`) or, when `names` is set, a user
 * name (`sip:alice@host`), which is dialled as written.
 */
export function readSubscriber(
  scheme: LinkScheme,
  text: string,
  options: { readonly names: boolean },
): LinkResult<Subscriber> {
  const [head = '', ...params] = text.split(';');
  const number = readDialTarget(scheme, head, options.names ? 'user' : null);
  if (!number.ok) return number;
  const rest = readParams(scheme, params);
  if (!rest.ok) return rest;
  return ok({ number: number.value, ...rest.value });
}

/** Reads what follows `tel:`. */
export function parseTel(rest: string): LinkResult<TelLink> {
  const body = rest.startsWith('//') ? rest.slice(2).replace(/\/$/u, '') : rest;
  const subscriber = readSubscriber('tel', body, { names: false });
  if (!subscriber.ok) return subscriber;
  return ok({ kind: 'dial', scheme: 'tel', ...subscriber.value });
}

/** A subscriber's number and parameters as a URI writes them: isub and ext before the context. */
export function formatSubscriber(subscriber: Subscriber): string {
  const { number, extension, context, subaddress } = subscriber;
  const isub = subaddress === undefined ? '' : `;isub=${percentEncodeLossy(subaddress)}`;
  const ext = extension === undefined ? '' : `;ext=${extension}`;
  const where = context === undefined ? '' : `;phone-context=${context}`;
  return `${encodeNumber(number)}${isub}${ext}${where}`;
}

export const formatTel = (link: TelLink): string => `tel:${formatSubscriber(link)}`;
