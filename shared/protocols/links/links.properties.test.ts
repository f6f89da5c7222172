import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  formatLink,
  LINK_LIMIT,
  LINK_SCHEMES,
  parseLink,
  type Link,
  type LinkError,
  type LinkErrorCode,
} from './index.ts';
import { PARTY_FORBIDDEN } from '../text.ts';
import { codeUnits } from '../text.test-support.ts';

/**
 * Properties: parseLink never throws and answers a well-formed link or error; what formatLink
 * writes reads back the same; and a dialled number never holds a visual separator.
 */

const CODES: ReadonlySet<LinkErrorCode> = new Set<LinkErrorCode>([
  'too-long',
  'empty',
  'unknown-scheme',
  'bad-encoding',
  'forbidden-character',
  'no-number',
  'bad-number',
  'bad-parameter',
  'bad-host',
  'bad-call-id',
  'bad-ext-id',
  'unknown-command',
  'bad-autoconfiguration',
]);

/** Pieces that exercise the readers: delimiters, escapes, commands, separators, spaces. */
const FRAGMENTS = [
  ...['%', '%2', '%20', '%25', '%2C', '%3B', '%40', '%23', '%E9', '%C3%A9', '%00', '%E2%80%8B'],
  ...[':', ';', ',', '@', '?', '=', '/', '//', '#', '*', '+', '-', '.', '(', ')', ' ', '\u00a0'],
  ...['tel:', 'sip:', 'voispeed:', 'C', 'D', 'F', 'U', 'u', 'x', 'ext=', 'isub=', 'phone-context='],
  ...['0', '187', '+39', 'alice', 'pbx.example.com', '[::1]', ':5060', 'wss://', '8c7b'.repeat(8)],
  ...['\n', '\u200b', '\ud800', '😀', 'é'],
];
const fragmentString = fc
  .array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 })
  .map((parts) => parts.join(''));
const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  codeUnits,
  fragmentString,
);
const prefix = fc.constantFrom(
  ...LINK_SCHEMES.flatMap((scheme) => [`${scheme}:`, `${scheme.toUpperCase()}:`, `${scheme}://`]),
);

function assertWellFormedError(error: LinkError): void {
  assert.ok(CODES.has(error.code), error.code);
  assert.ok(error.message.length > 0 && error.message.length <= 200, error.message);
  assert.doesNotMatch(error.message, /[\n\r\u2028\u2029]/);
  assert.ok(!PARTY_FORBIDDEN.test(error.message), error.message);
}

/** Every string a link holds is short, and free of controls and invisible characters. */
function assertWellFormedLink(link: Link): void {
  for (const value of Object.values(link).flat()) {
    if (typeof value !== 'string') continue;
    assert.ok(value.length <= 256, value);
    assert.ok(!PARTY_FORBIDDEN.test(value), value);
  }
  if (link.kind === 'dial') {
    assert.ok(link.number !== '' && link.number.length <= 64);
    assert.doesNotMatch(link.number, /[\s()]/u);
  }
  assert.deepEqual(parseLink(formatLink(link)), { ok: true, value: link });
}

function check(uri: string): void {
  const result = parseLink(uri);
  if (result.ok) assertWellFormedLink(result.value);
  else assertWellFormedError(result.error);
}

// Generators of valid links, each field drawn from what its reader accepts.
const digits = (chars: string, minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...chars.split('')), minLength, maxLength });
const phone = fc
  .tuple(fc.boolean(), digits('0123456789*#', 1, 30))
  .map(([global, rest]) => (global ? `+${rest}` : rest));
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const domain = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.'));
const port = fc.integer({ min: 1, max: 65535 });
const hostPort = fc.oneof(
  domain,
  fc.tuple(domain, port).map(([host, p]) => `${host}:${p}`),
  fc.constantFrom('192.0.2.4', '[2001:db8::1]', '[::1]:5060', '10.0.0.1:5063'),
);
/** Free text: trimmed, non-empty, nothing a party may not hold. */
const freeText = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom(' ', ',', ';', '%', '@', '#', '\u00a0'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
    ),
  })
  .map((text) => text.trim().slice(0, 64).trim())
  .filter((text) => text !== '' && !PARTY_FORBIDDEN.test(text));
const sipName = fc
  .stringMatching(/^[A-Za-z0-9\-_.!~*&=+$,]{1,64}$/)
  .filter((name) => /[^0-9+*#\-.()]/.test(name));
const optional = <T>(key: string, arbitrary: fc.Arbitrary<T>) =>
  fc
    .option(arbitrary, { nil: undefined })
    .map((value) => (value === undefined ? {} : { [key]: value }));
const subscriberFields = fc
  .tuple(
    optional('extension', digits('0123456789', 1, 10)),
    optional(
      'context',
      fc.oneof(
        domain,
        digits('0123456789', 1, 12).map((d) => `+${d}`),
      ),
    ),
    optional('subaddress', freeText),
  )
  .map(([a, b, c]) => ({ ...a, ...b, ...c }));

const validLink: fc.Arbitrary<Link> = fc.oneof(
  fc
    .tuple(phone, subscriberFields)
    .map(([number, rest]): Link => ({ kind: 'dial', scheme: 'tel', number, ...rest })),
  fc
    .tuple(fc.constantFrom('sip', 'sips'), fc.oneof(phone, sipName), subscriberFields)
    .chain(([scheme, number, rest]) =>
      optional('host', hostPort).map((host): Link => ({
        kind: 'dial',
        scheme,
        number,
        ...rest,
        ...host,
      })),
    ),
  fc.oneof(phone, sipName).map((number): Link => ({ kind: 'dial', scheme: 'callto', number })),
  fc
    .tuple(phone, optional('extId', freeText))
    .map(([number, extId]): Link => ({ kind: 'dial', scheme: 'voispeed', number, ...extId })),
  fc
    .option(fc.stringMatching(/^[A-Za-z0-9._:+-]{1,64}$/), { nil: null })
    .map((callId): Link => ({ kind: 'drop', callId })),
  phone.map((target): Link => ({ kind: 'forward', target })),
  fc
    .record({
      user: fc.stringMatching(/^[A-Za-z0-9._~!$&*=+-]{1,64}$/),
      domain,
      passwordMd5: digits('0123456789abcdefABCDEF', 32, 32),
      internal: digits('0123456789', 1, 16),
      servers: fc.oneof(
        fc.tuple(hostPort),
        fc.tuple(
          hostPort,
          hostPort.map((host) => `wss://${host}/ws`),
        ),
      ),
    })
    .map((fields): Link => ({ kind: 'autoconfigure', ...fields })),
);

describe('link properties', () => {
  it('parseLink never throws on any string, and answers a well-formed link or error', () => {
    fc.assert(fc.property(anyText, check), { numRuns: 3000 });
  });

  it('parseLink never throws on any string after each scheme prefix', () => {
    fc.assert(
      fc.property(prefix, anyText, (scheme, rest) => check(scheme + rest)),
      { numRuns: 5000 },
    );
  });

  it('refuses links over the limit, naming the limit and not echoing the link', () => {
    fc.assert(
      fc.property(prefix, fc.integer({ min: LINK_LIMIT + 1, max: 5 * LINK_LIMIT }), (scheme, n) => {
        const result = parseLink(scheme + '1'.repeat(n - scheme.length));
        assert.ok(!result.ok && result.error.code === 'too-long');
        assert.ok(result.error.message.length < 80);
      }),
      { numRuns: 50 },
    );
  });

  it('parseLink(formatLink(link)) gives back every valid link', () => {
    fc.assert(
      fc.property(validLink, (link) => {
        const formatted = formatLink(link);
        // A formatted link is printable ASCII without spaces: it survives argv and an href.
        assert.match(formatted, /^[\x21-\x7e]+$/);
        assert.deepEqual(parseLink(formatted), { ok: true, value: link }, formatted);
      }),
      { numRuns: 3000 },
    );
  });

  it('a dialled number is the digits as written, without visual separators', () => {
    const separator = fc.constantFrom('-', '.', '(', ')', ' ', '%20', '\u00a0', '%C2%A0');
    const written = fc
      .tuple(phone, fc.array(fc.tuple(fc.nat(40), separator), { maxLength: 8 }))
      .map(([number, cuts]) => {
        // Cut between characters, never inside an escape; `#` is escaped as formatLink writes it.
        const parts = number.split('').map((c) => (c === '#' ? '%23' : c));
        for (const [at, sep] of cuts) parts.splice(Math.min(at, parts.length), 0, sep);
        return { number, text: parts.join('') };
      });
    const schemes = fc.constantFrom(
      'tel:',
      'sip:',
      'callto:',
      'voispeed:',
      'voispeed:C',
      'voispeed:F',
    );
    fc.assert(
      fc.property(written, schemes, ({ number, text }, scheme) => {
        const result = parseLink(scheme + text);
        assert.ok(result.ok, JSON.stringify([scheme + text, result]));
        const link = result.value;
        const dialled =
          link.kind === 'forward' ? link.target : link.kind === 'dial' ? link.number : '';
        assert.equal(dialled, number);
      }),
      { numRuns: 3000 },
    );
  });
});
