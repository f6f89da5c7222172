import { ok } from '../../result.ts';
import { shown } from '../text.ts';
import { isHostPort, linkFail, type DialLink, type LinkResult } from './link.ts';
import { formatSubscriber, readSubscriber } from './tel.ts';

/**
 * `sip:` and `sips:` links (RFC 3261): `sip:alice@pbx.example.com`,
 * `sip:+1-212-555-0100;ext=22@gw.example.com;user=phone`.
 *
 * The user part is what is dialled, on the account Callbridge is configured with: a web page
 * must not choose which server a call goes to, so the host is kept only to be shown. The user
 * part is a telephone-subscriber when it looks like a number (separators are removed and
 * `;ext=` is read as in tel:), and a user name otherwise, dialled as written.
 *
 * - A password (`sip:alice:secret@host`) is dropped unread: it is never dialled, kept or shown.
 * - URI parameters after the host (`;transport=tcp`) and headers (`?subject=...`) are skipped:
 *   they describe how to reach the host, which is not where the call goes.
 * - Without `@` (`sip:100`), what is written is the user part: that is how people write an
 *   extension, though RFC 3261 would read it as a host.
 */

export type SipLink = Extract<DialLink, { scheme: 'sip' | 'sips' }>;

export function parseSipUri(rest: string, scheme: 'sip' | 'sips'): LinkResult<SipLink> {
  const q = rest.indexOf('?');
  const address = q < 0 ? rest : rest.slice(0, q);
  const at = address.indexOf('@');
  const userinfo = at < 0 ? address : address.slice(0, at);
  // user-info is `user[:password]`; the password is dropped here, before anything reads it.
  const colon = userinfo.indexOf(':');
  const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
  if (user.trim() === '') return linkFail(scheme, 'no-number', 'link has no user part to dial');
  const subscriber = readSubscriber(scheme, user, { names: true });
  if (!subscriber.ok) return subscriber;
  if (at < 0) return ok({ kind: 'dial', scheme, ...subscriber.value });
  const hostport = address.slice(at + 1).split(';', 1)[0] ?? '';
  if (!isHostPort(hostport)) {
    return linkFail(scheme, 'bad-host', `host ${shown(hostport)} is not a host name or IP address`);
  }
  return ok({ kind: 'dial', scheme, ...subscriber.value, host: hostport });
}

export function formatSipUri(link: SipLink): string {
  const host = link.host === undefined ? '' : `@${link.host}`;
  return `${link.scheme}:${formatSubscriber(link)}${host}`;
}
