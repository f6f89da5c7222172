import { shown } from '../text.ts';
import { parseCallto, formatCallto } from './callto.ts';
import {
  LINK_LIMIT,
  linkFail,
  refuseHidden,
  type Link,
  type LinkResult,
  type LinkScheme,
} from './link.ts';
import { formatSipUri, parseSipUri } from './sip-uri.ts';
import { formatTel, parseTel } from './tel.ts';
import { formatVoispeed, parseVoispeed } from './voispeed.ts';

/**
 * Click-to-dial links: `tel:`, `callto:`, `sip:`, `sips:` and `voispeed:`, read into one
 * `Link` that a door acts on directly, and written back. The scheme is matched in any case
 * (RFC 3986). Every link is parsed here before anything acts on it (DESIGN.md, Links and
 * hooks): one arrives from any web page.
 */

export type { DialLink, Link, LinkError, LinkErrorCode, LinkScheme, Subscriber } from './link.ts';
export { FIELD_LIMIT, LINK_LIMIT, NUMBER_LIMIT } from './link.ts';

export const LINK_SCHEMES: readonly LinkScheme[] = ['tel', 'callto', 'sip', 'sips', 'voispeed'];

const SCHEME_LIST = 'tel:, callto:, sip:, sips: or voispeed:';

const isLinkScheme = (text: string): text is LinkScheme =>
  (LINK_SCHEMES as readonly string[]).includes(text);

/**
 * Reads a link. It is refused whole when it is over LINK_LIMIT characters or holds a control
 * or invisible character anywhere (before or after percent-decoding): such a link was not
 * typed by a person, and `0123\u200B456` must not pass for `0123456`. Spaces at either end
 * are dropped, as a browser drops them from an href.
 */
export function parseLink(uri: string): LinkResult<Link> {
  if (uri.length > LINK_LIMIT) {
    return linkFail(
      null,
      'too-long',
      `link is ${uri.length} characters long; the limit is ${LINK_LIMIT}`,
    );
  }
  const hidden = refuseHidden(null, uri);
  if (!hidden.ok) return hidden;
  const text = uri.trim();
  if (text === '') return linkFail(null, 'empty', 'link is empty');
  const colon = text.indexOf(':');
  const scheme = colon < 0 ? '' : text.slice(0, colon).toLowerCase();
  if (!isLinkScheme(scheme)) {
    const message =
      colon < 0
        ? `link has no scheme; it must start with ${SCHEME_LIST}`
        : `link scheme ${shown(text.slice(0, colon))} is not ${SCHEME_LIST}`;
    return linkFail(null, 'unknown-scheme', message);
  }
  const rest = text.slice(colon + 1);
  switch (scheme) {
    case 'tel':
      return parseTel(rest);
    case 'callto':
      return parseCallto(rest);
    case 'sip':
    case 'sips':
      return parseSipUri(rest, scheme);
    case 'voispeed':
      return parseVoispeed(rest);
  }
}

/** Writes a link as its scheme spells it; `parseLink(formatLink(link))` gives `link` back. */
export function formatLink(link: Link): string {
  if (link.kind !== 'dial') return formatVoispeed(link);
  switch (link.scheme) {
    case 'tel':
      return formatTel(link);
    case 'callto':
      return formatCallto(link);
    case 'sip':
    case 'sips':
      return formatSipUri(link);
    case 'voispeed':
      return formatVoispeed(link);
  }
}
