import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { COUNTRIES, callingCode, dialledNumber, isCountry } from './phone-number.ts';

describe('the dialling rule', () => {
  it('writes a valid + number as E.164, with or without a default country', () => {
    assert.equal(dialledNumber('+442079460018', null), '+442079460018');
    assert.equal(dialledNumber('+442079460018', 'DE'), '+442079460018');
  });

  it('turns a national number into E.164 only when a default country is set', () => {
    assert.equal(dialledNumber('0611234567', null), '0611234567');
    assert.equal(dialledNumber('0611234567', 'DE'), '+49611234567');
    assert.equal(dialledNumber('0611234567', 'IT'), '+390611234567');
    assert.equal(dialledNumber('2025550123', 'US'), '+12025550123');
    // The country's international prefix, as people in Germany write a British number.
    assert.equal(dialledNumber('00442079460018', 'DE'), '+442079460018');
  });

  it('dials extensions, short codes and feature codes as written', () => {
    assert.equal(dialledNumber('1002', 'DE'), '1002');
    assert.equal(dialledNumber('112', 'DE'), '112');
    assert.equal(dialledNumber('*31#', 'DE'), '*31#');
    assert.equal(dialledNumber('+1', 'US'), '+1');
  });

  it('knows the countries and their calling codes', () => {
    assert.ok(COUNTRIES.includes('GB') && COUNTRIES.length > 200);
    assert.ok(isCountry('DE'));
    assert.ok(!isCountry('XX'));
    assert.equal(callingCode('DE'), '+49');
  });

  it('never throws, keeps to dialable characters and is idempotent (property)', () => {
    const dialable = fc.stringMatching(/^\+?[0-9*#]{0,24}$/);
    const country = fc.option(fc.constantFrom(...COUNTRIES), { nil: null });
    fc.assert(
      fc.property(dialable, country, (digits, defaultCountry) => {
        const dialled = dialledNumber(digits, defaultCountry);
        assert.match(dialled, /^\+?[0-9*#]*$/);
        assert.equal(dialledNumber(dialled, defaultCountry), dialled);
        // Nothing is invented: without a country, only + numbers may change at all.
        if (defaultCountry === null && !digits.startsWith('+')) assert.equal(dialled, digits);
      }),
      { numRuns: 2_000 },
    );
  });
});
