import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatSeasonOfficeError, parseTelephonyQuery, toCallEvent } from './season-office.ts';
import { parsed, refused } from './season-office.test-support.ts';
import { NAMED_INVISIBLES } from './text.test-support.ts';

/**
 * What NO and CALLERID may hold: no character that is drawn as nothing, and a NO that holds
 * only what phone numbers are written with (the rule next to `readNumber`), so that a party
 * can never look like a trusted one and be another.
 */

describe('Season Office listen port: a party cannot look like another', () => {
  // Each is invisible, so `0123<c>456` looks like the trusted `0123456`.
  const label = (codePoint: number) => codePoint.toString(16).toUpperCase().padStart(4, '0');

  for (const [codePoint, name] of NAMED_INVISIBLES) {
    const c = String.fromCodePoint(codePoint);
    const escaped = `\\u{${codePoint.toString(16).toUpperCase()}}`;
    it(`refuses U+${label(codePoint)} (${name}) in NO and in CALLERID, naming it`, () => {
      const number = refused(
        parseTelephonyQuery(`a=i&l=1&no=${encodeURIComponent(`0123${c}456`)}`),
        'invisible-character',
      );
      assert.equal(
        number.message,
        `NO "0123${escaped}456" contains an invisible character, U+${label(codePoint)} (${name}), at index 4`,
      );
      assert.deepEqual(number.character, { codePoint, index: 4 });
      assert.equal(number.key, 'no');
      assert.equal(number.position, 8);
      assert.equal(formatSeasonOfficeError(number), `${number.message} (at character 9)`);

      const name_ = refused(
        parseTelephonyQuery(`a=i&i=${encodeURIComponent(`Da${c}tos`)}`),
        'invisible-character',
      );
      assert.match(
        name_.message,
        /^CALLERID "Da\\u\{[0-9A-F]+\}tos" contains an invisible character, U\+/,
      );
      assert.deepEqual(name_.character, { codePoint, index: 2 });
      assert.equal(name_.position, 4);
    });
  }

  it('refuses an invisible character at the edges too, where trimming would hide it', () => {
    for (const value of ['%EF%BB%BF0123', '0123%EF%BB%BF', '%E2%80%8B', '%22Datos%E2%80%8B%22']) {
      refused(parseTelephonyQuery(`a=i&no=${value}`), 'invisible-character');
      refused(parseTelephonyQuery(`a=i&i=${value}`), 'invisible-character');
    }
    const edge = refused(parseTelephonyQuery('a=i&no=%200123%EF%BB%BF'), 'invisible-character');
    assert.deepEqual(edge.character, { codePoint: 0xfeff, index: 5 });
  });

  it('refuses a NO with letters, markup or look-alike digits, naming the character', () => {
    const cases = [
      ['O12345', 'O', 0],
      ['0l23', 'l', 1],
      ['<b>0123</b>', '<', 0],
      ['sip:100@pbx.example', 's', 0],
      ['100@pbx', '@', 3],
      ['０１２３', '０', 0],
      ['٠١٢٣', '٠', 0],
      ['0123,456', ',', 4],
      ['0123\u00a0456', '\u00a0', 4],
      ['+49 30 123 x12', 'x', 11],
      ['0123–456', '–', 4],
    ] as const;
    for (const [number, c, index] of cases) {
      const error = refused(
        parseTelephonyQuery(`a=i&no=${encodeURIComponent(number)}`),
        'bad-number',
      );
      const codePoint = c.codePointAt(0) ?? 0;
      assert.equal(
        error.message,
        `NO ${JSON.stringify(number)} contains "${c}" (U+${label(codePoint)}) at index ${index}; a number holds digits, + * # and the separators space - . / ( )`,
        number,
      );
      assert.deepEqual(error.character, { codePoint, index }, number);
    }
  });

  it('refuses a NO with no digit in it', () => {
    for (const number of ['+', '()', '-', '. .', '/']) {
      const error = refused(
        parseTelephonyQuery(`a=i&no=${encodeURIComponent(number)}`),
        'bad-number',
      );
      assert.equal(
        error.message,
        `NO ${JSON.stringify(number)} has no digit; a number holds digits, + * # and the separators space - . / ( )`,
      );
    }
  });

  it('accepts numbers as PBXs write them: international, national, extensions, feature codes', () => {
    for (const number of [
      '012345678901',
      '+4930123456',
      '+49 (0)30 123-456',
      '030/123 456',
      '+44.20.7946.0000',
      '201',
      '*97',
      '#31#0123456',
      '*****-42',
      '+49+30+123456',
    ]) {
      assert.equal(parsed(`a=i&no=${encodeURIComponent(number)}`).number, number);
    }
  });

  it('reads the words PBXs send for a withheld number as no number', () => {
    for (const word of [
      'anonymous',
      'Anonymous',
      'UNKNOWN',
      'private',
      'Restricted',
      'unavailable',
      'withheld',
      '"anonymous"',
    ]) {
      const value = parsed(`a=i&l=1&no=${encodeURIComponent(word)}&i=Datos`);
      assert.equal(value.number, '', word);
      assert.deepEqual(toCallEvent(value), {
        kind: 'Incoming',
        line: 1,
        number: '',
        callerId: 'Datos',
      });
    }
    assert.equal(parsed('a=i&no=anonymous&no=0123').number, '0123');
    refused(parseTelephonyQuery('a=i&no=anonymously'), 'bad-number');
  });
});
