import assert from 'node:assert/strict';
import {
  parseTelephonyQuery,
  type SeasonOfficeError,
  type SeasonOfficeErrorCode,
  type TelephonyRequest,
} from './season-office.ts';

/** Helpers shared by the Season Office conformance tests. */

export function parsed(query: string): TelephonyRequest {
  const result = parseTelephonyQuery(query);
  assert.ok(result.ok, `expected ${query} to parse: ${JSON.stringify(result)}`);
  return result.value;
}

export function refused(
  result: { ok: boolean; error?: SeasonOfficeError },
  code: SeasonOfficeErrorCode,
) {
  assert.ok(
    !result.ok && result.error !== undefined,
    `expected ${code}, got ${JSON.stringify(result)}`,
  );
  assert.equal(result.error.code, code, JSON.stringify(result.error));
  return result.error;
}

export const request = (overrides: Partial<TelephonyRequest>): TelephonyRequest => ({
  action: 'incoming',
  line: 1,
  lineDefaulted: false,
  number: '012345678901',
  callerId: 'Datos',
  ignoredKeys: [],
  ...overrides,
});

export const ACTIONS_MESSAGE =
  'is not one of INCOMING (I), ESTABLISHED (E), ONHOLD (H), HOLDRESUME (R), LINESELECT (L), TERMINATED (T)';
