import type { IncomingHttpHeaders } from 'node:http';
import { BlockList, isIP } from 'node:net';

/**
 * What every port of ours enforces (DESIGN.md, "Sockets share their guards" and Security
 * defaults): where it binds, who may connect, which Host names are ours (DNS rebinding),
 * whether a web page fired the request, and how much one client may hold. Pure: each check
 * answers null or the reason for refusing; the socket modules (guarded-http.ts) apply them.
 */

export interface PortLimits {
  /** Request line and headers together. */
  readonly maxHeaderBytes: number;
  /** Connections served at once, across all peers. */
  readonly maxConnections: number;
  /** Connections one remote address may hold. Loopback clients share one address, so
   * they are bounded by the slots left after `reservedForAllowed` instead. */
  readonly maxConnectionsPerPeer: number;
  /** Slots loopback clients cannot take while remote PBX addresses are allowed, so a local
   * process cannot shut the PBX out. */
  readonly reservedForAllowed: number;
  /** Connections beyond `maxConnections` kept just long enough to read their request and
   * answer 503; beyond these a connection is closed without an answer. */
  readonly maxOverflow: number;
  /** Time to send the request line and headers while the port is quiet... */
  readonly headersTimeoutMs: number;
  /** ...and while it is busy (more than half the slots in use, or any overflow). */
  readonly busyHeadersTimeoutMs: number;
  /** A connection must have waited this long for its request before a complete request
   * may take its slot: a client that has just connected is usually about to send. */
  readonly evictGraceMs: number;
  /** The whole request, body included. */
  readonly requestTimeoutMs: number;
  /** Between requests on a kept-alive connection. */
  readonly keepAliveMs: number;
  /** No bytes either way, e.g. a response the client does not read. 0: no limit. */
  readonly idleMs: number;
  /** How long a refusal may take to leave before its connection is destroyed anyway. */
  readonly refusalFlushMs: number;
  /** At most one clicked cross-site navigation is admitted per this interval. */
  readonly clickedNavigationIntervalMs: number;
}

export const DEFAULT_LIMITS: PortLimits = {
  maxHeaderBytes: 16 * 1024,
  maxConnections: 32,
  maxConnectionsPerPeer: 8,
  reservedForAllowed: 8,
  maxOverflow: 512,
  headersTimeoutMs: 5_000,
  busyHeadersTimeoutMs: 1_000,
  evictGraceMs: 100,
  requestTimeoutMs: 10_000,
  keepAliveMs: 5_000,
  idleMs: 0,
  refusalFlushMs: 1_000,
  clickedNavigationIntervalMs: 1_000,
};

export interface PortPolicy {
  /** 0 asks the system for a free port. */
  readonly port: number;
  /** Remote peer addresses allowed besides loopback; any entry opens every interface. */
  readonly allowFrom: readonly string[];
  /** Names peers use for this computer, accepted in Host besides the loopback names. */
  readonly hostNames: readonly string[];
  readonly limits?: Partial<PortLimits>;
}

export function limitsOf(policy: PortPolicy): PortLimits {
  return { ...DEFAULT_LIMITS, ...policy.limits };
}

/** Loopback only, unless remote peers are allowed: then every interface, IPv6 and IPv4. */
export function bindAddress(policy: Pick<PortPolicy, 'allowFrom'>): '127.0.0.1' | '::' {
  return policy.allowFrom.length > 0 ? '::' : '127.0.0.1';
}

/** A machine without IPv6 cannot bind '::'; every IPv4 interface is the next best. */
export function fallbackAddress(host: string, errorCode: string | undefined): string | null {
  return host === '::' && errorCode === 'EAFNOSUPPORT' ? '0.0.0.0' : null;
}

/**
 * How many slots a peer may hold. Every non-loopback peer that got this far is allowed
 * (checkPeer), so all of them share the reserved slots.
 */
export function slotsFor(loopback: boolean, policy: PortPolicy, limits: PortLimits): number {
  if (!loopback) return Math.min(limits.maxConnectionsPerPeer, limits.maxConnections);
  return policy.allowFrom.length > 0
    ? Math.max(1, limits.maxConnections - limits.reservedForAllowed)
    : limits.maxConnections;
}

export function isBusy(served: number, overflow: number, limits: PortLimits): boolean {
  return overflow > 0 || served > limits.maxConnections / 2;
}

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
 * The remote addresses allowed besides loopback, compared as addresses rather than strings
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
 * What a request says about the page that fired it. Servers and scripts send neither Origin
 * nor Sec-Fetch-Site. A page does, and must not be able to fake a call: not from another
 * site, and not from another port on this computer either (that is "same-site" to a
 * browser). The one exception is a top-level navigation a person clicked: navigate mode,
 * user activation and a document destination together, which an iframe, a fetch, an image
 * or a script cannot claim.
 */
export type CrossSite =
  | { readonly kind: 'own' }
  | { readonly kind: 'clicked-navigation' }
  | { readonly kind: 'refused'; readonly reason: string };

export function readCrossSite(headers: IncomingHttpHeaders, origins: readonly string[]): CrossSite {
  const origin = headers.origin;
  if (origin !== undefined && !origins.includes(origin.toLowerCase())) {
    return {
      kind: 'refused',
      reason: `requests from web pages at ${origin.slice(0, 100)} are refused`,
    };
  }
  const site = headers['sec-fetch-site'];
  if (site === undefined || site === 'none' || site === 'same-origin') return { kind: 'own' };
  const clicked =
    headers['sec-fetch-mode'] === 'navigate' &&
    headers['sec-fetch-user'] === '?1' &&
    headers['sec-fetch-dest'] === 'document';
  if (clicked) return { kind: 'clicked-navigation' };
  return {
    kind: 'refused',
    reason: `requests that web pages fire (${site.slice(0, 20)}) are refused`,
  };
}

/** RFC 9112 3.2: more than one Host is a 400, and it is how smuggled requests disagree. */
export function checkSingleHost(rawHeaders: readonly string[]): string | null {
  let hosts = 0;
  for (let index = 0; index < rawHeaders.length; index += 2) {
    if (rawHeaders[index]?.toLowerCase() === 'host') hosts++;
  }
  return hosts > 1 ? 'more than one Host header' : null;
}

/** Node parses `GET /x` (no version) as HTTP/0.9 and accepts HTTP/2.0 in an HTTP/1 line. */
export function checkVersion(
  major: number,
  minor: number,
): { status: number; reason: string } | null {
  if (major === 1) return null;
  if (major === 0) {
    return { status: 400, reason: 'the request line has no HTTP version; send HTTP/1.1' };
  }
  return { status: 505, reason: `HTTP/${major}.${minor} is not supported; send HTTP/1.1` };
}

/**
 * The server cannot see user activations, so "one click, one navigation" is bounded in
 * time instead: at most one clicked cross-site navigation per interval on a port. A person
 * clicking a link twice within a second gets a 429 for the second; a page that spends one
 * click on a burst of navigations gets one through, not hundreds.
 */
export class NavigationGate {
  readonly #intervalMs: number;
  #last = Number.NEGATIVE_INFINITY;

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  admit(now: number): boolean {
    if (now - this.#last < this.#intervalMs) return false;
    this.#last = now;
    return true;
  }
}
