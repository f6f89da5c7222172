import { err, ok, type Result } from '../../shared/result.ts';

/**
 * Reads the digest realm (and algorithm) from a WWW-Authenticate or Proxy-Authenticate
 * value (RFC 3261 25.1, RFC 7616): `Digest realm="pbx", nonce="…", algorithm=MD5`. The core
 * keeps only the HA1 for one realm, so the engine must name the realm the registrar asks
 * for before it can answer. Pure, and it never throws: the value comes off the network.
 */

export interface DigestChallenge {
  readonly realm: string;
  /** As written (`MD5`, `SHA-256`); null when absent, which RFC 3261 reads as MD5. */
  readonly algorithm: string | null;
}

export type RealmErrorCode =
  | 'too-long'
  | 'not-digest'
  | 'bad-parameter'
  | 'unterminated-quote'
  | 'no-realm'
  | 'empty-realm'
  | 'realm-too-long';

export interface RealmError {
  readonly code: RealmErrorCode;
  /** UTF-16 index into the header value where the problem lies. */
  readonly position: number;
}

/** Far beyond any real challenge; the report's realm field is capped at 256 anyway. */
export const MAX_CHALLENGE_LENGTH = 4096;
const MAX_REALM_LENGTH = 256;

const TOKEN = /[A-Za-z0-9\-.!%*_+`'~]/;
const SPACE = /[ \t\r\n]/;

interface Cursor {
  readonly text: string;
  index: number;
}

function skipSpace(cursor: Cursor): void {
  while (cursor.index < cursor.text.length && SPACE.test(cursor.text[cursor.index] ?? '')) {
    cursor.index += 1;
  }
}

function readToken(cursor: Cursor): string {
  const start = cursor.index;
  while (cursor.index < cursor.text.length && TOKEN.test(cursor.text[cursor.index] ?? '')) {
    cursor.index += 1;
  }
  return cursor.text.slice(start, cursor.index);
}

/** A quoted-string with its backslash escapes undone; the cursor sits on the opening quote. */
function readQuoted(cursor: Cursor): Result<string, RealmError> {
  const start = cursor.index;
  cursor.index += 1;
  let value = '';
  while (cursor.index < cursor.text.length) {
    const char = cursor.text[cursor.index] ?? '';
    if (char === '"') {
      cursor.index += 1;
      return ok(value);
    }
    if (char === '\\' && cursor.index + 1 < cursor.text.length) {
      value += cursor.text[cursor.index + 1] ?? '';
      cursor.index += 2;
      continue;
    }
    value += char;
    cursor.index += 1;
  }
  return err({ code: 'unterminated-quote', position: start });
}

function readValue(cursor: Cursor): Result<string, RealmError> {
  if (cursor.text[cursor.index] === '"') return readQuoted(cursor);
  const start = cursor.index;
  const value = readToken(cursor);
  return value === '' ? err({ code: 'bad-parameter', position: start }) : ok(value);
}

/** Reads `name=value` pairs of one challenge until the end or the next scheme. */
function readParameters(cursor: Cursor): Result<Map<string, string>, RealmError> {
  const parameters = new Map<string, string>();
  for (let guard = 0; guard < MAX_CHALLENGE_LENGTH; guard += 1) {
    skipSpace(cursor);
    while (cursor.text[cursor.index] === ',') {
      cursor.index += 1;
      skipSpace(cursor);
    }
    if (cursor.index >= cursor.text.length) break;
    const start = cursor.index;
    const name = readToken(cursor).toLowerCase();
    if (name === '') return err({ code: 'bad-parameter', position: start });
    skipSpace(cursor);
    if (cursor.text[cursor.index] !== '=') {
      // A bare token is the next challenge's scheme (`…, Basic realm="x"`): this one ends.
      cursor.index = start;
      break;
    }
    cursor.index += 1;
    skipSpace(cursor);
    const value = readValue(cursor);
    if (!value.ok) return value;
    if (!parameters.has(name)) parameters.set(name, value.value);
  }
  return ok(parameters);
}

/**
 * The first Digest challenge in the value. Several challenges may share one header
 * (`Basic realm="a", Digest realm="b"`); those of other schemes are skipped.
 */
export function parseDigestChallenge(value: string): Result<DigestChallenge, RealmError> {
  if (value.length > MAX_CHALLENGE_LENGTH) {
    return err({ code: 'too-long', position: MAX_CHALLENGE_LENGTH });
  }
  const cursor: Cursor = { text: value, index: 0 };
  for (let guard = 0; guard < MAX_CHALLENGE_LENGTH; guard += 1) {
    skipSpace(cursor);
    while (cursor.text[cursor.index] === ',') {
      cursor.index += 1;
      skipSpace(cursor);
    }
    const schemeAt = cursor.index;
    if (schemeAt >= value.length) break;
    const scheme = readToken(cursor);
    if (scheme === '') return err({ code: 'not-digest', position: schemeAt });
    const parameters = readParameters(cursor);
    if (!parameters.ok) return parameters;
    if (scheme.toLowerCase() !== 'digest') continue;
    const realm = parameters.value.get('realm');
    if (realm === undefined) return err({ code: 'no-realm', position: schemeAt });
    if (realm.trim() === '') return err({ code: 'empty-realm', position: schemeAt });
    if (realm.length > MAX_REALM_LENGTH) {
      return err({ code: 'realm-too-long', position: schemeAt });
    }
    return ok({ realm, algorithm: parameters.value.get('algorithm') ?? null });
  }
  return err({ code: 'not-digest', position: 0 });
}
