import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The secrets our loopback ports ask for: the Comms Manager page's bridge token and the local
 * API's bearer token. 32 random bytes, base64url (43 characters), compared in constant time.
 */

export const newToken = (): string => randomBytes(32).toString('base64url');

export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/u;

export function tokenMatches(given: string | null | undefined, expected: string): boolean {
  if (given === null || given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
