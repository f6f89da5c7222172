import { it } from 'node:test';
import assert from 'node:assert/strict';
import { parseLink, type Link, type LinkError, type LinkErrorCode } from './index.ts';

/** Helpers shared by the link tests. */

export function parsed(uri: string): Link {
  const result = parseLink(uri);
  assert.ok(result.ok, `expected ${uri} to parse: ${JSON.stringify(result)}`);
  return result.value;
}

export function refused(uri: string, code: LinkErrorCode, message?: string): LinkError {
  const result = parseLink(uri);
  assert.ok(!result.ok, `expected ${uri} to be refused with ${code}: ${JSON.stringify(result)}`);
  assert.equal(result.error.code, code, JSON.stringify(result.error));
  if (message !== undefined) assert.equal(result.error.message, message);
  return result.error;
}

/** The same link as a browser may hand it over: its spaces escaped. */
export const escapedSpaces = (uri: string): string => uri.replaceAll(' ', '%20');

/** A refusal case: the link, the code, and (when the message is the point) the message. */
export type Refusal = readonly [uri: string, code: LinkErrorCode, message?: string];

/** One test per refusal; `also` checks more of each error. */
export function itRefuses(refusals: readonly Refusal[], also?: (error: LinkError) => void): void {
  for (const [uri, code, message] of refusals) {
    it(`refuses ${JSON.stringify(uri)} (${code})`, () => {
      also?.(refused(uri, code, message));
    });
  }
}
