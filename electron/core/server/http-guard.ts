import type { IncomingHttpHeaders } from 'node:http';
import { BlockList, isIP } from 'node:net';

/**
 * Checks every HTTP port of ours applies before it reads a request (DESIGN.md, Security
 * defaults): who may connect, which Host names are ours (DNS rebinding), and whether a web
 * page fired the request cross-site. Each check answers null or the reason for refusing.
 */

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** `::ffff:127.0.0.1` is how a dual-stack socket reports an IPv4 peer. */
export function normaliseAddress(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

export function isLoopback(address: string | undefined): boolean {
  const plain = normaliseAddress(address);
  return plain === '::1' || (isIP(plain) === 4 && plain.startsWith('127.'));
}

/**
 * The PBX addresses allowed besides loopback, compared as addresses rather than strings
 * (`::ffff:10.0.0.5` is `10.0.0.5`; `fe80::1` is `FE80:0::1`).
 */
export function allowList(addresses: readonly string[]): BlockList {
  const list = new BlockList();
  for (const address of addresses) {
    const family = isIP(address);
    if (family !== 0) list.addAddress(address, family === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

export function checkPeer(address: string | undefined, allowed: BlockList): string | null {
  if (isLoopback(address)) return null;
  const plain = normaliseAddress(address);
  const family = isIP(plain);
  if (family !== 0 && allowed.check(plain, family === 6 ? 'ipv6' : 'ipv4')) return null;
  return `${plain || 'an unknown address'} is not in the list of allowed PBX addresses`;
}

/**
 * A browser always sends Host, so a request without one cannot be a rebinding attack; old
 * HTTP/1.0 scripts that omit it keep working.
 */
export function checkHost(
  host: string | undefined,
  port: number,
  extraNames: readonly string[],
): string | null {
  if (host === undefined) return null;
  const allowed = [...LOOPBACK_NAMES, ...extraNames].map((name) => `${name}:${port}`.toLowerCase());
  return allowed.includes(host.toLowerCase())
    ? null
    : `Host "${host.slice(0, 100)}" is not this computer (expected 127.0.0.1:${port} or localhost:${port})`;
}

export function ownOrigins(port: number, extraNames: readonly string[] = []): string[] {
  return [...LOOPBACK_NAMES, ...extraNames].map((name) => `http://${name}:${port}`.toLowerCase());
}

/**
 * Servers and scripts send neither Origin nor Sec-Fetch-Site. A page does, and must not be
 * able to fake a call: not from another site, and not from another port on this computer
 * either (that is "same-site" to a browser). Only a top-level navigation a person clicked
 * gets through from elsewhere.
 */
export function checkCrossSite(
  headers: IncomingHttpHeaders,
  origins: readonly string[],
): string | null {
  const origin = headers.origin;
  if (origin !== undefined && !origins.includes(origin.toLowerCase())) {
    return `requests from web pages at ${origin.slice(0, 100)} are refused`;
  }
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'none' && site !== 'same-origin') {
    const clickedNavigation =
      headers['sec-fetch-mode'] === 'navigate' && headers['sec-fetch-user'] === '?1';
    if (!clickedNavigation)
      return `requests that web pages fire (${site.slice(0, 20)}) are refused`;
  }
  return null;
}
