import { ok } from '../../result.ts';
import { shown } from '../text.ts';
import { encodeNumber, linkFail, readDialTarget, type DialLink, type LinkResult } from './link.ts';

/**
 * `callto:` links, as NetMeeting and then Skype wrote them: `callto:+390612345678`,
 * `callto://+390612345678/` (Windows has appended that slash to `//` links since Internet
 * Explorer), or a name (`callto:echo123`), which the SIP account dials as a user name.
 *
 * Skype's `?call` is accepted. Any other query (`?add`, `?chat`) asks for something that is
 * not a call, and is refused rather than read as a call: the link would dial someone the
 * page only meant to add. There are no parameters: a `;` is simply not part of a number.
 */

export type CalltoLink = Extract<DialLink, { scheme: 'callto' }>;

export function parseCallto(rest: string): LinkResult<CalltoLink> {
  const q = rest.indexOf('?');
  const query = q < 0 ? '' : rest.slice(q + 1);
  if (query !== '' && query.toLowerCase() !== 'call') {
    return linkFail('callto', 'bad-parameter', `link asks for ${shown(query)}, not a call`);
  }
  const path = q < 0 ? rest : rest.slice(0, q);
  const body = path.startsWith('//') ? path.slice(2).replace(/\/$/u, '') : path;
  const number = readDialTarget('callto', body, 'name');
  if (!number.ok) return number;
  return ok({ kind: 'dial', scheme: 'callto', number: number.value });
}

export const formatCallto = (link: CalltoLink): string => `callto:${encodeNumber(link.number)}`;
