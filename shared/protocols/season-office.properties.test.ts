import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CallEventSchema } from '../model/call-event.ts';
import {
  describeTelephonyRequest,
  formatSeasonOfficeError,
  formatTelephonyQuery,
  parseTelephonyQuery,
  toCallEvent,
  type SeasonAction,
  type SeasonOfficeError,
  type TelephonyRequest,
} from './season-office.ts';
import { parseTelephonyArgs } from './season-office-args.ts';
import { parsed, refused } from './season-office.test-support.ts';
import { PARTY_FORBIDDEN, percentEncodeLossy } from './text.ts';
import { codeUnits, INVISIBLE_CODE_POINTS, invisibleCharacter } from './text.test-support.ts';

/** Properties: the parsers never throw, and what the formatter writes reads back the same. */

const CODES = new Set([
  'too-long',
  'too-many-parameters',
  'bad-encoding',
  'missing-action',
  'unknown-action',
  'bad-line',
  'bad-number',
  'bad-caller-id',
  'invisible-character',
  'conflicting-values',
  'unknown-key',
  'bad-argument',
  'missing-address',
  'bad-address',
]);

const ACTIONS: readonly SeasonAction[] = [
  'incoming',
  'established',
  'onhold',
  'holdresume',
  'lineselect',
  'terminated',
];

/** What `readNumber` in season-office.ts lets through as NO: the rule written next to it. */
const VALID_NUMBER = /^[0-9+*#\-./() ]*[0-9*#][0-9+*#\-./() ]*$/;

/** Pieces that exercise the tokenizer: separators, escapes, quotes, keys and actions. */
const FRAGMENTS = [
  ...['%', '%2', '%25', '%E9', '%C3%A9', '%00', '%0A', '%E2%80%AE', '%zz', '%%', '%26', '%3D'],
  ...['=', '&', '&&', '?', '+', ' ', '\u00a0', '\t', '\n', '#', ';'],
  ...['"', "'", '“', '”', '„', '‘', '’'],
  ...['line', 'LINE', 'l', 'no', 'N', 'callerid', 'I', 'action', 'A', '__proto__', 'x'],
  ...['incoming', 'I', 'e', 'ONHOLD', 'r', 'LineSelect', 't', 'ringing'],
  ...['0', '1', '01', '64', '65', '-1', '1.5', '012345678901', 'Datos', 'Müller', '😀', '\ud800'],
];
const fragment = fc.constantFrom(...FRAGMENTS);
const fragmentString = fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join(''));

/** Known keys (and one unknown), each with values that are right about half the time. */
const wrong = fc.oneof(fc.string(), fragmentString, fc.constantFrom('ringing', '65', '0', ''));
const pairOf = (keys: string[], right: string[]) =>
  fc
    .tuple(fc.constantFrom(...keys), fc.oneof(fc.constantFrom(...right), wrong))
    .map(([k, v]) => `${k}=${v}`);
const keyValue = fc.oneof(
  pairOf(['line', 'LINE', 'l'], ['1', '01', '64', '2', '']),
  pairOf(['no', 'N', 'n'], ['012345678901', '+44+20', '%2B44%2020', '']),
  pairOf(['callerid', 'CallerID', 'i'], ['"Datos"', '”Datos Software”', 'M%C3%BCller']),
  pairOf(['action', 'A', 'a'], ['incoming', 'I', 'e', 'ONHOLD', 'r', 'LineSelect', 't']),
  pairOf(['ext', 'x'], ['201']),
);
const plausibleQuery = fc
  .array(keyValue, { minLength: 1, maxLength: 6 })
  .map((pairs) => pairs.join('&'));

const anyQuery = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  codeUnits,
  fragmentString,
  fragmentString.map((text) => `?${text}`),
);

function assertWellFormedError(error: SeasonOfficeError): void {
  assert.ok(CODES.has(error.code), error.code);
  const line = formatSeasonOfficeError(error);
  assert.ok(line.length > 0);
  assert.doesNotMatch(line, /[\n\r\u2028\u2029]/);
}

function assertWellFormedRequest(value: TelephonyRequest): void {
  assert.ok(ACTIONS.includes(value.action));
  assert.ok(Number.isInteger(value.line) && value.line >= 1 && value.line <= 64);
  assert.ok(value.number.length <= 64 && !PARTY_FORBIDDEN.test(value.number));
  assert.ok(value.number === '' || VALID_NUMBER.test(value.number), value.number);
  assert.equal(value.number, value.number.trim());
  assert.ok(value.callerId.length <= 128 && !PARTY_FORBIDDEN.test(value.callerId));
  assert.ok(CallEventSchema.safeParse(toCallEvent(value)).success);
  assert.doesNotMatch(describeTelephonyRequest(value), /[\n\r]/);
  for (const form of ['long', 'short'] as const) formatTelephonyQuery(value, form);
}

describe('Season Office properties', () => {
  it('parseTelephonyQuery never throws, and answers a well-formed value or error', () => {
    fc.assert(
      fc.property(anyQuery, (query) => {
        const result = parseTelephonyQuery(query);
        if (result.ok) assertWellFormedRequest(result.value);
        else assertWellFormedError(result.error);
      }),
      { numRuns: 3000 },
    );
  });

  it('parseTelephonyQuery never throws on key=value queries, and accepts some of them', () => {
    const pair = fc.tuple(fragmentString, fragmentString).map(([k, v]) => `${k}=${v}`);
    const query = fc.array(pair, { maxLength: 40 }).map((pairs) => pairs.join('&'));
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(query, plausibleQuery), (text) => {
        const result = parseTelephonyQuery(text);
        if (result.ok) assertWellFormedRequest(result.value);
        else assertWellFormedError(result.error);
        if (result.ok) accepted += 1;
      }),
      { numRuns: 3000 },
    );
    assert.ok(accepted > 40, `only ${accepted} of 3000 queries were accepted`);
  });

  /** Text heavy in what the parser trims and unquotes, mixed with any code point. */
  const edgy = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 70 }),
    fc.string({
      unit: fc.constantFrom(
        '"',
        "'",
        '“',
        '”',
        '„',
        '‘',
        '’',
        ' ',
        '\u00a0',
        '+',
        '%',
        '&',
        '=',
        'a',
        '1',
      ),
      maxLength: 12,
    }),
  );
  /**
   * Numbers as PBXs write them: international with a leading +, pluses and separators inside,
   * feature codes; every one valid under the rule next to `readNumber`.
   */
  const digits = fc.string({
    unit: fc.oneof(
      { arbitrary: fc.constantFrom('0', '1', '2', '4', '9'), weight: 4 },
      fc.constantFrom('+', '*', '#', ' ', '-', '.', '/', '(', ')'),
    ),
    minLength: 1,
    maxLength: 30,
  });
  const phoneNumber = fc
    .oneof(
      digits,
      digits.map((text) => `+${text}`),
      fc.string({ unit: fc.constantFrom('0', '1', '9'), minLength: 1, maxLength: 64 }),
    )
    .map((text) => text.trim())
    .filter((n) => n.length <= 64 && VALID_NUMBER.test(n));
  const validRequest: fc.Arbitrary<TelephonyRequest> = fc
    .record({
      action: fc.constantFrom(...ACTIONS),
      lineDefaulted: fc.boolean(),
      line: fc.integer({ min: 1, max: 64 }),
      number: phoneNumber,
      callerId: edgy.filter((c) => c.length <= 128 && !PARTY_FORBIDDEN.test(c)),
    })
    .map((r) => ({ ...r, line: r.lineDefaulted ? 1 : r.line, ignoredKeys: [] }));

  for (const form of ['long', 'short'] as const) {
    it(`parse(format(x, '${form}')) equals x`, () => {
      fc.assert(
        fc.property(validRequest, (request) => {
          const query = formatTelephonyQuery(request, form);
          assert.deepEqual(parseTelephonyQuery(query), { ok: true, value: request });
          assert.deepEqual(parseTelephonyQuery(`?${query}`), { ok: true, value: request });
        }),
        { numRuns: 2000 },
      );
    });
  }

  it('a NO written without percent-encoding keeps every plus', () => {
    const unencoded = phoneNumber.filter((n) => /^[0-9+]*[0-9][0-9+]*$/.test(n));
    fc.assert(
      fc.property(unencoded, fc.constantFrom('no', 'n', 'NO'), (number, key) => {
        assert.equal(parsed(`a=i&${key}=${number}`).number, number);
      }),
      { numRuns: 1000 },
    );
  });

  it('the command line carries any valid request to the same reading', () => {
    fc.assert(
      fc.property(validRequest, fc.constantFrom('long', 'short'), (request, form) => {
        const words = formatTelephonyQuery(request, form)
          .split('&')
          .map((pair) => decodeURIComponent(pair));
        const result = parseTelephonyArgs(['LOCALHOST:5555', ...words]);
        assert.ok(result.ok, JSON.stringify(result));
        assert.deepEqual(parseTelephonyQuery(result.value.query), { ok: true, value: request });
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses an invisible character anywhere in NO or CALLERID, and names it', () => {
    const around = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), phoneNumber, edgy);
    fc.assert(
      fc.property(
        around,
        invisibleCharacter,
        around,
        fc.constantFrom('no', 'N', 'callerid', 'i'),
        (before, hidden, after, key) => {
          const value = `${before}${hidden}${after}`;
          const query = `a=i&l=1&${key}=${percentEncodeLossy(value)}`;
          const error = refused(parseTelephonyQuery(query), 'invisible-character');
          assertWellFormedError(error);
          assert.equal(error.key, key);
          const found = error.character;
          assert.ok(found !== undefined && found.index <= before.length);
          assert.equal(value.codePointAt(found.index), found.codePoint);
          assert.ok(INVISIBLE_CODE_POINTS.includes(found.codePoint));
          assert.match(formatSeasonOfficeError(error), /U\+[0-9A-F]{4,6} \(/);

          const argv = parseTelephonyArgs(['localhost:5555', 'a=i', `${key}=${value}`]);
          assert.equal(refused(argv, 'invisible-character').argument, 2);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('parseTelephonyArgs never throws, and what it accepts the listen port accepts', () => {
    const word = fc.oneof(fc.string(), codeUnits, fragmentString, fc.constant(''));
    const loose = fc.tuple(fragment, word).map(([k, v]) => `${k}=${v}`);
    const address = fc.oneof(
      fc.constantFrom('localhost:5555', 'LOCALHOST:5555', '127.0.0.1:1', '[::1]:65535'),
      word,
    );
    const argv = fc
      .tuple(address, fc.array(fc.oneof(keyValue, keyValue, loose, word), { maxLength: 12 }))
      .map(([first, rest]) => [first, ...rest]);
    const plausible = fc
      .tuple(fc.constantFrom('LOCALHOST:5555', '[::1]:1'), fc.array(keyValue, { maxLength: 6 }))
      .map(([first, rest]) => [first, ...rest]);
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof({ arbitrary: plausible, weight: 3 }, argv, fc.array(word)), (args) => {
        const result = parseTelephonyArgs(args);
        if (!result.ok) {
          assertWellFormedError(result.error);
          return;
        }
        accepted += 1;
        assert.ok(result.value.port >= 1 && result.value.port <= 65535);
        const query = parseTelephonyQuery(result.value.query);
        assert.ok(query.ok, JSON.stringify(query));
      }),
      { numRuns: 3000 },
    );
    assert.ok(accepted > 30, `only ${accepted} of 3000 command lines were accepted`);
  });
});
