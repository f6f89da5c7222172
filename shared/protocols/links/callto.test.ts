import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatLink, type Link } from './index.ts';
import { itRefuses, parsed } from './links.test-support.ts';

/** callto: links, as NetMeeting and Skype wrote them. */

describe('callto: links', () => {
  const examples = [
    ['callto:+390612345678', '+390612345678'],
    ['callto://+390612345678', '+390612345678'],
    // Windows appends a slash to `//` links.
    ['callto://+39 06 1234 5678/', '+390612345678'],
    ['callto:+39%2006%2012345678', '+390612345678'],
    ['callto:echo123', 'echo123'],
    ['callto:echo123?call', 'echo123'],
    ['CallTo:john.doe', 'john.doe'],
    ['callto:*21#', '*21#'],
  ] as const;

  for (const [uri, number] of examples) {
    const link: Link = { kind: 'dial', scheme: 'callto', number };
    it(`reads ${uri}`, () => assert.deepEqual(parsed(uri), link));
    it(`formats ${uri} back to a link that reads the same`, () =>
      assert.deepEqual(parsed(formatLink(link)), link));
  }

  const refusals = [
    ['callto:', 'no-number', 'callto: link has no number'],
    ['callto://', 'no-number'],
    ['callto:echo123?add', 'bad-parameter', 'callto: link asks for "add", not a call'],
    ['callto:echo123?chat', 'bad-parameter'],
    ['callto:john doe', 'bad-number'],
    ['callto:+39;ext=1', 'bad-number'],
    ['callto:a%GG', 'bad-encoding'],
    ['callto:%E2%80%8E201', 'forbidden-character'],
  ] as const;
  itRefuses(refusals);
});
