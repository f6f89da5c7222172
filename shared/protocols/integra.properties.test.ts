import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  expand,
  formatIntegraTime,
  INTEGRA_PLACEHOLDERS,
  INTEGRA_TEMPLATE_LIMIT,
  parseTemplate,
  type IntegraValues,
  type Template,
} from './integra.ts';
import { anyValues } from './integra.test-support.ts';

/**
 * Properties: the parser never throws; no value, whatever it holds, changes how many
 * arguments run, which program runs, or is read again for placeholders; URL values are inert.
 */

const CODES = new Set([
  'empty',
  'too-long',
  'control-character',
  'unterminated-quote',
  'unknown-placeholder',
  'placeholder-in-program',
  'placeholder-in-address',
  'url-with-arguments',
]);

/** Pieces of templates: quotes, escapes, placeholders in both spellings, separators. */
const FRAGMENTS = [
  ...['"', '\\"', '\\', '""', ' ', '  ', '\t', '!', '! ', '!0', '!01', '! 04', '!07', '!08', '!09'],
  ...['!99', '!001', 'http://', 'https://', 'HTTP://h/', '/', '?', '#', 'a', 'x=', "'", '$('],
  ...['C:\\Program Files\\', '%', ';', '\n', '😀', '\ud800'],
];
const templateText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 }).map((parts) => parts.join('')),
);

/** A word of the model: literal text and placeholder numbers, in order. */
type Segment = string | number;

/** Literal text a word may hold inside double quotes: shell syntax and spaces, no `"` `\` `!`. */
const literal = fc.string({
  unit: fc.constantFrom('a', 'Z', '0', ' ', '$', '(', ')', ';', '&', '|', '`', "'", '%', '*'),
  minLength: 1,
  maxLength: 6,
});
const segment: fc.Arbitrary<Segment> = fc.oneof(literal, fc.integer({ min: 0, max: 7 }));
const word = fc.array(segment, { maxLength: 4 });

/** The template text of a model word: in double quotes, each placeholder in either spelling. */
const wordText = (segments: readonly Segment[], spaced: boolean): string =>
  `"${segments.map((s) => (typeof s === 'number' ? `!${spaced ? ' ' : ''}0${s}` : s)).join('')}"`;

const modelArg = (segments: readonly Segment[], values: IntegraValues): string =>
  segments
    .map((s) => (typeof s === 'number' ? values[INTEGRA_PLACEHOLDERS[s] ?? 'ownNumber'] : s))
    .join('');

function parsedTemplate(text: string): Template {
  const result = parseTemplate(text);
  assert.ok(result.ok, `${JSON.stringify(text)}: ${JSON.stringify(result)}`);
  return result.value;
}

describe('Integra properties', () => {
  it('parseTemplate never throws, and answers a template or a well-formed error', () => {
    let accepted = 0;
    fc.assert(
      fc.property(templateText, (text) => {
        const result = parseTemplate(text);
        if (result.ok) {
          accepted += 1;
          if (result.value.kind === 'program') assert.ok(result.value.file.length > 0);
          return;
        }
        assert.ok(CODES.has(result.error.code), result.error.code);
        assert.ok(result.error.position >= 0 && result.error.position <= INTEGRA_TEMPLATE_LIMIT);
        assert.doesNotMatch(result.error.message, /[\n\r]/);
      }),
      { numRuns: 5000 },
    );
    assert.ok(accepted > 500, `only ${accepted} of 5000 templates were accepted`);
  });

  it('no value changes the argv count or the program, whatever the template', () => {
    const blank: IntegraValues = {
      ownNumber: '',
      remoteNumber: '',
      action: 'CALL_IN',
      ownDirectNumber: '',
      time: '',
      callId: '',
      originalCallingNumber: '',
      originalCalledNumber: '',
      extId: '',
    };
    fc.assert(
      fc.property(templateText, anyValues, (text, values) => {
        const result = parseTemplate(text);
        if (!result.ok) return;
        const filled = expand(result.value, values);
        const empty = expand(result.value, blank);
        assert.equal(filled.kind, empty.kind);
        if (filled.kind === 'program' && empty.kind === 'program') {
          assert.equal(filled.file, empty.file);
          assert.equal(filled.args.length, empty.args.length);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('each value lands whole in its own word, once, and is never read again', () => {
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 6 }),
        fc.boolean(),
        anyValues,
        (words, spaced, values) => {
          const text = ['/usr/bin/hook', ...words.map((w) => wordText(w, spaced))].join(' ');
          const result = expand(parsedTemplate(text), values);
          assert.ok(result.kind === 'program');
          assert.equal(result.file, '/usr/bin/hook');
          assert.deepEqual(
            result.args,
            words.map((w) => modelArg(w, values)),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('a URL value is percent-encoded, so it can add no parameter, path or host', () => {
    const path = fc.array(fc.constantFrom('/a', '?n=', '&m=', '#f', 'x'), { maxLength: 4 });
    fc.assert(
      fc.property(
        path,
        fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 4 }),
        anyValues,
        (parts, fields, values) => {
          const text = `https://crm.example/p${parts.join('')}${fields.map((n) => `!0${n}`).join('/')}`;
          const result = expand(parsedTemplate(text), values);
          assert.ok(result.kind === 'url');
          const prefix = `https://crm.example/p${parts.join('')}`;
          assert.ok(result.url.startsWith(prefix));
          const tail = result.url.slice(prefix.length);
          // Only what encodeURIComponent leaves, the escapes, and the template's own '/'.
          assert.match(tail, /^[A-Za-z0-9\-_.!~*'()%/]*$/);
          const decoded = tail.split('/');
          const wellFormed = (s: string): string => s.replace(/\p{Cs}/gu, '\uFFFD');
          const expected = fields.map((n) =>
            wellFormed(values[INTEGRA_PLACEHOLDERS[n] ?? 'ownNumber']),
          );
          assert.deepEqual(
            decoded.map((part) => decodeURIComponent(part)),
            expected,
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('formatIntegraTime writes day/month/year_hour.minute.second that reads back', () => {
    const dates = fc.date({
      min: new Date(1000, 0, 1),
      max: new Date(9999, 11, 31),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(dates, (date) => {
        const text = formatIntegraTime(date);
        const match = /^(\d{2})\/(\d{2})\/(\d{4})_(\d{2})\.(\d{2})\.(\d{2})$/.exec(text);
        assert.ok(match !== null, text);
        const [, d, mo, y, h, mi, s] = match.map(Number);
        assert.deepEqual(
          [d, mo, y, h, mi, s],
          [
            date.getDate(),
            date.getMonth() + 1,
            date.getFullYear(),
            date.getHours(),
            date.getMinutes(),
            date.getSeconds(),
          ],
        );
      }),
      { numRuns: 2000 },
    );
  });
});
