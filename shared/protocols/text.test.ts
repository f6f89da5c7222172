import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  codePointLabel,
  cutText,
  describeCharacter,
  findControl,
  findInvisible,
  formDecode,
  isQuote,
  matchSpelling,
  PARTY_FORBIDDEN,
  percentDecode,
  percentEncode,
  percentEncodeLossy,
  quoteIfNeeded,
  shown,
  trimSpan,
  unquote,
  unquoteSpan,
} from './text.ts';
import { codeUnits, FORMAT_CODE_POINTS, NAMED_INVISIBLES } from './text.test-support.ts';

/** The text helpers every dialect shares: examples, then properties over any string. */

/** Pieces that the helpers treat specially: quotes, spaces, escapes, invisibles, pairs. */
const special = fc.string({
  unit: fc.constantFrom(
    ...['"', "'", '“', '”', '„', '‘', '’', ' ', '\u00a0', '\t', '\n', '+', '%', '%2', '%E9'],
    ...['%C3%A9', '%F0%9F%98%80', '\u200b', '\ufeff', '\u202e', '\u{e0041}', '😀', '\ud800'],
    ...['\udc00', 'a', '0'],
  ),
  maxLength: 30,
});
const anyText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  codeUnits,
  special,
);
const LONE_SURROGATE = /\p{Cs}/u;

describe('text helpers: examples', () => {
  it('finds the invisible characters a party could hide', () => {
    for (const [codePoint, name] of NAMED_INVISIBLES) {
      const described = `${codePointLabel(codePoint)} (${name})`;
      const text = `12${String.fromCodePoint(codePoint)}3`;
      assert.deepEqual(findInvisible(text), { codePoint, index: 2 }, described);
      assert.equal(findControl(text), null, described);
      assert.ok(PARTY_FORBIDDEN.test(text), described);
      assert.equal(describeCharacter(codePoint), described);
    }
    for (const clean of ['0123', '+49 (0)30 123-456', 'Müller', '😀', 'a\u00a0b', 'Zoë', '']) {
      assert.equal(findInvisible(clean), null, clean);
      assert.equal(PARTY_FORBIDDEN.test(clean), false, clean);
    }
  });

  it('finds controls, separators and lone surrogates', () => {
    assert.deepEqual(findControl('ab\ncd'), { codePoint: 0x0a, index: 2 });
    assert.deepEqual(findControl('\u0085'), { codePoint: 0x85, index: 0 });
    assert.deepEqual(findControl('x\u2028'), { codePoint: 0x2028, index: 1 });
    assert.deepEqual(findControl('x\ud800'), { codePoint: 0xd800, index: 1 });
    assert.equal(findControl('😀'), null);
    assert.equal(describeCharacter(0x0a), 'U+000A (control character)');
    assert.equal(describeCharacter(0xdc00), 'U+DC00 (lone surrogate)');
    assert.equal(describeCharacter(0x200b), 'U+200B (zero width space)');
    assert.equal(codePointLabel(0x41), 'U+0041');
    assert.equal(codePointLabel(0x1f600), 'U+1F600');
  });

  it('shows a value quoted, cut, and with every forbidden character escaped', () => {
    assert.equal(shown('Datos'), '"Datos"');
    assert.equal(shown('01\n23'), '"01\\u{A}23"');
    assert.equal(shown('0123\u200b456'), '"0123\\u{200B}456"');
    assert.equal(shown('\u{e0041}'), '"\\u{E0041}"');
    assert.equal(shown('1'.repeat(41)), `"${'1'.repeat(40)}…"`);
    assert.equal(shown(`${'1'.repeat(38)}😀`), `"${'1'.repeat(38)}😀"`);
    assert.equal(shown(`${'1'.repeat(39)}😀`), `"${'1'.repeat(39)}…"`);
    assert.equal(cutText('ab😀', 3), 'ab');
    assert.equal(cutText('ab\ud800x', 3), 'ab\ud800');
  });

  it('unquotes one pair by family, and quotes what unquoting would change', () => {
    const cases = [
      ['"Datos"', 'Datos'],
      ['”Datos Software”', 'Datos Software'],
      ['„Datos“', 'Datos'],
      ["'Datos’", 'Datos'],
      ['  "Datos"  ', 'Datos'],
      ['" Datos "', ' Datos '],
      ['""Datos""', '"Datos"'],
      ['"Datos\'', '"Datos\''],
      ['"', '"'],
      ['  ', ''],
    ] as const;
    for (const [written, inner] of cases) {
      assert.equal(unquote(written), inner, written);
      const span = unquoteSpan(written);
      assert.equal(written.slice(span.start, span.end), inner, written);
    }
    assert.equal(quoteIfNeeded('Datos'), 'Datos');
    assert.equal(quoteIfNeeded(' Datos'), '" Datos"');
    assert.equal(quoteIfNeeded('“Datos'), '"“Datos"');
    assert.equal(isQuote(''), false);
    assert.equal(isQuote('„'), true);
  });

  it('percent-codes without throwing', () => {
    assert.equal(percentDecode('a+b%20c'), 'a+b c');
    assert.equal(formDecode('a+b%20c'), 'a b c');
    assert.equal(formDecode('C%2B%2B'), 'C++');
    for (const bad of ['%', '%2', '%zz', '%E9', '%C3', '%ED%A0%80']) {
      assert.equal(percentDecode(bad), null, bad);
      assert.equal(formDecode(bad), null, bad);
    }
    assert.equal(percentEncode('+ &'), '%2B%20%26');
    assert.equal(percentEncode('a\ud800'), null);
    assert.equal(percentEncodeLossy('a\ud800'), 'a%EF%BF%BD');
  });

  it('matches a spelling in any case, ignoring surrounding space', () => {
    const table = [
      ['incoming', 'i'],
      ['established', 'e'],
    ] as const;
    assert.equal(matchSpelling(table, ' INCOMING '), 'incoming');
    assert.equal(matchSpelling(table, 'E'), 'established');
    assert.equal(matchSpelling(table, 'ringing'), null);
    assert.equal(matchSpelling(table, ''), null);
  });
});

describe('text helpers: properties', () => {
  it('nothing throws, on any string', () => {
    fc.assert(
      fc.property(anyText, fc.nat(100), (text, limit) => {
        findControl(text);
        findInvisible(text);
        shown(text);
        cutText(text, limit);
        unquote(text);
        quoteIfNeeded(text);
        percentDecode(text);
        formDecode(text);
        percentEncode(text);
        percentEncodeLossy(text);
        matchSpelling([['a', 'b']], text);
        trimSpan(text);
      }),
      { numRuns: 3000 },
    );
  });

  it('PARTY_FORBIDDEN is exactly a control or an invisible character, and find* point at the first', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const control = findControl(text);
        const invisible = findInvisible(text);
        assert.equal(PARTY_FORBIDDEN.test(text), control !== null || invisible !== null);
        for (const found of [control, invisible]) {
          if (found === null) continue;
          assert.equal(text.codePointAt(found.index), found.codePoint);
          assert.ok(PARTY_FORBIDDEN.test(String.fromCodePoint(found.codePoint)));
        }
        if (control !== null) assert.equal(findControl(text.slice(0, control.index)), null);
        if (invisible !== null) assert.equal(findInvisible(text.slice(0, invisible.index)), null);
      }),
      { numRuns: 3000 },
    );
  });

  it('a Cf character anywhere is found', () => {
    const cf = fc.constantFrom(...FORMAT_CODE_POINTS).map((c) => String.fromCodePoint(c));
    const format = fc.oneof(
      cf,
      fc.constantFrom('\u200b', '\u200e', '\u200f', '\u061c', '\ufeff', '\u2060', '\u00ad'),
    );
    fc.assert(
      fc.property(anyText, format, anyText, (before, c, after) => {
        const found = findInvisible(`${before}${c}${after}`);
        assert.ok(found !== null && found.index <= before.length);
        assert.ok(PARTY_FORBIDDEN.test(`${before}${c}${after}`));
      }),
      { numRuns: 2000 },
    );
  });

  it('shown writes one line that holds no forbidden character and ends where it says', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const line = shown(text);
        assert.equal(PARTY_FORBIDDEN.test(line), false, line);
        assert.ok(line.startsWith('"') && line.endsWith('"'));
        assert.ok(line.length <= 2 + 40 * 10 + 1, String(line.length));
        if (text.length <= 40 && !PARTY_FORBIDDEN.test(text)) assert.equal(line, `"${text}"`);
      }),
      { numRuns: 3000 },
    );
  });

  it('cutText keeps a prefix, never more than asked, never half a pair', () => {
    fc.assert(
      fc.property(anyText, fc.nat(60), (text, limit) => {
        const cut = cutText(text, limit);
        assert.ok(text.startsWith(cut) && cut.length <= limit);
        assert.ok(cut.length >= Math.min(limit, text.length) - 1);
        if (cut.length < text.length) {
          const pair =
            /[\uD800-\uDBFF]$/.test(cut) && /^[\uDC00-\uDFFF]/.test(text.slice(cut.length));
          assert.equal(pair, false);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('unquote(quoteIfNeeded(x)) is x, and the spans cut what unquote and trim answer', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        assert.equal(unquote(quoteIfNeeded(text)), text);
        const span = unquoteSpan(text);
        assert.ok(span.start >= 0 && span.start <= span.end && span.end <= text.length);
        assert.equal(text.slice(span.start, span.end), unquote(text));
        const trimmed = trimSpan(text);
        assert.equal(text.slice(trimmed.start, trimmed.end), text.trim());
      }),
      { numRuns: 3000 },
    );
  });

  it('percent-coding reads back what it wrote, and only lone surrogates cannot be written', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const encoded = percentEncode(text);
        assert.equal(encoded === null, LONE_SURROGATE.test(text));
        if (encoded !== null) {
          assert.equal(percentDecode(encoded), text);
          assert.equal(formDecode(encoded), text);
        }
        assert.equal(percentDecode(percentEncodeLossy(text)), text.replace(/\p{Cs}/gu, '\uFFFD'));
      }),
      { numRuns: 3000 },
    );
  });
});
