import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseLink } from './links/index.ts';
import { applyDiallingRule } from './phone-number.ts';
import { telUriFor } from './tel-uri.ts';

const uriOf = (number: string): string => {
  const built = telUriFor(number);
  assert.ok(built.ok, JSON.stringify(built));
  return built.value;
};

describe('telUriFor', () => {
  it('writes a + number as RFC 3966 global number', () => {
    assert.equal(uriOf('+442079460018'), 'tel:+442079460018');
  });

  it('writes a local number without ;phone-context=, and # escaped', () => {
    assert.equal(uriOf('1002'), 'tel:1002');
    assert.equal(uriOf('112'), 'tel:112');
    assert.equal(uriOf('*31#'), 'tel:*31%23');
  });

  it('takes what the dialling rule gives it for the numbers a CRM writes', () => {
    assert.equal(uriOf(applyDiallingRule('+44 20 7946 0018', null)), 'tel:+442079460018');
    assert.equal(uriOf(applyDiallingRule('020 7946 0018', 'GB')), 'tel:+442079460018');
    assert.equal(uriOf(applyDiallingRule('(1002)', null)), 'tel:1002');
  });

  for (const [number, why] of [
    ['sip:bob@pbx.example.com', /is not one/],
    ['bob', /is not one/],
    ['+', /is not one/],
    ['', /is not one/],
    ['+*31', /is not one/],
    ['12+3', /is not one/],
    ['1002;ext=3', /is not one/],
    ['1'.repeat(65), /65 characters long; the limit is 64/],
  ] as const) {
    it(`refuses ${JSON.stringify(number)}, naming it`, () => {
      const built = telUriFor(number);
      assert.ok(!built.ok);
      assert.match(built.error, /^the TEL extension type dials telephone numbers; "/);
      assert.match(built.error, why);
    });
  }

  it('never throws, and what it writes reads back through parseLink as the same number', () => {
    const dialChars = fc.constantFrom(...'0123456789*#+'.split(''));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 80 }),
          fc.string({ unit: dialChars, minLength: 1, maxLength: 70 }),
          fc.stringMatching(/^\+[0-9]{1,20}$/),
        ),
        (number) => {
          const built = telUriFor(number);
          if (!built.ok) return;
          const link = parseLink(built.value);
          assert.ok(link.ok, `${built.value}: ${JSON.stringify(link)}`);
          assert.deepEqual(link.value, { kind: 'dial', scheme: 'tel', number });
        },
      ),
      { numRuns: 2000 },
    );
  });
});
