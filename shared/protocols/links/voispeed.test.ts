import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatLink } from './index.ts';
import { escapedSpaces, itRefuses, parsed, refused } from './links.test-support.ts';

/**
 * Conformance: every voispeed: example of specs/voispeed-integra.txt ("COMMAND THE UI FROM
 * THE OUTSIDE"), verbatim with their stray spaces, as written and as a browser escapes them;
 * where the document writes a placeholder ({number}), a value is put in its place.
 */

const MD5 = '8c7bde4622aea226d1cff593b3c26829';
const ALPHA39 = {
  kind: 'autoconfigure',
  user: 'alpha39',
  domain: 'tscomm.it',
  passwordMd5: MD5,
  internal: '3939',
  servers: ['192.168.0.220:5063'],
} as const;

describe('VOIspeed vendor document: voispeed: links', () => {
  const examples = [
    // "Make a call = voispeed: C {number} or voispeed: {number}"
    ['voispeed: C 187', { kind: 'dial', scheme: 'voispeed', number: '187' }],
    ['voispeed: 187', { kind: 'dial', scheme: 'voispeed', number: '187' }],
    // "Make a call with extended ID = voispeed: {number}, {ext_ID}"
    ['voispeed: 187, 4711', { kind: 'dial', scheme: 'voispeed', number: '187', extId: '4711' }],
    // "Disconnect call = voispeed: D {call ID} ... in its absence the first call is disconnected"
    ['voispeed: D 20240101-0042', { kind: 'drop', callId: '20240101-0042' }],
    ['voispeed: D', { kind: 'drop', callId: null }],
    // "Forward the active call = voispeed: F {Call ID}"
    ['voispeed: F 201', { kind: 'forward', target: '201' }],
    // "Autoconfiguration of the UI = voispeed: Username @ domain, password (MD5), internal, url1, url2"
    [
      `voispeed: Ualpha39 @ tscomm.it, ${MD5}, 3939, 192.168.0.220: 5063, 192.168.0.221: 5063`,
      { ...ALPHA39, servers: ['192.168.0.220:5063', '192.168.0.221:5063'] },
    ],
    // "start voispeed: Ualpha39 @ tscomm.it, 8c7b…,3939,192.168.0.220: 5063" (`start` is the
    // Windows command that opens the link) "configures the alpha39 user UI account on PBX
    // 192.168.0.220:5063".
    [`voispeed: Ualpha39 @ tscomm.it, ${MD5},3939,192.168.0.220: 5063`, ALPHA39],
    // `<a href=”voispeed:187 “>`: the href, with its trailing space.
    ['voispeed:187 ', { kind: 'dial', scheme: 'voispeed', number: '187' }],
  ] as const;

  for (const [uri, link] of examples) {
    it(`reads ${JSON.stringify(uri)}`, () => assert.deepEqual(parsed(uri), link));
    it(`reads ${JSON.stringify(escapedSpaces(uri))} the same`, () =>
      assert.deepEqual(parsed(escapedSpaces(uri)), link));
    it(`reads it the same after a browser's URL parser`, () =>
      assert.deepEqual(parsed(new URL(uri).href), link));
    it(`formats it back to a link that reads the same`, () => {
      const formatted = formatLink(link);
      assert.doesNotMatch(formatted, /\s/);
      assert.deepEqual(parsed(formatted), link);
    });
  }

  it('writes the canonical forms', () => {
    assert.equal(formatLink(parsed('voispeed: C 187')), 'voispeed:187');
    assert.equal(formatLink(parsed('voispeed: 187, Order 12')), 'voispeed:187,Order%2012');
    assert.equal(formatLink(parsed('voispeed: D')), 'voispeed:D');
    assert.equal(formatLink(parsed('voispeed: F 201')), 'voispeed:F201');
    assert.equal(
      formatLink(parsed(`voispeed: Ualpha39 @ tscomm.it, ${MD5},3939,192.168.0.220: 5063`)),
      `voispeed:Ualpha39@tscomm.it,${MD5},3939,192.168.0.220:5063`,
    );
  });
});

describe('voispeed: links beyond the document', () => {
  it('reads the command letters in any case, with or without a space', () => {
    assert.deepEqual(parsed('voispeed:c187'), parsed('voispeed: C 187'));
    assert.deepEqual(parsed('VOISPEED:d 7'), { kind: 'drop', callId: '7' });
    assert.deepEqual(parsed('voispeed:f+39 06 1234'), { kind: 'forward', target: '+39061234' });
    assert.deepEqual(parsed(`voispeed:ualpha39@tscomm.it,${MD5},3939,192.168.0.220:5063`), ALPHA39);
  });

  it('removes visual separators and no-break spaces from numbers', () => {
    const number = '+390612345678';
    for (const uri of [
      'voispeed:+39 06 1234 5678',
      'voispeed:+39-06-1234.5678',
      'voispeed:+39 (06) 12345678',
      'voispeed:+39\u00a006\u00a012345678',
      'voispeed:%2B39%2006%2012345678',
      'voispeed://+390612345678',
    ]) {
      assert.deepEqual(parsed(uri), { kind: 'dial', scheme: 'voispeed', number }, uri);
    }
  });

  it('keeps an ext_ID as free text, trimmed, with its inner spaces and commas', () => {
    assert.deepEqual(parsed('voispeed:187, Order 12, line 3 '), {
      kind: 'dial',
      scheme: 'voispeed',
      number: '187',
      extId: 'Order 12, line 3',
    });
    assert.deepEqual(parsed('voispeed:C 187,x'), {
      kind: 'dial',
      scheme: 'voispeed',
      number: '187',
      extId: 'x',
    });
    assert.deepEqual(parsed('voispeed:187,'), { kind: 'dial', scheme: 'voispeed', number: '187' });
    assert.deepEqual(parsed('voispeed:*21#'), { kind: 'dial', scheme: 'voispeed', number: '*21#' });
    refused(`voispeed:187,${'x'.repeat(65)}`, 'bad-ext-id');
  });

  it('reads autoconfiguration with an empty url2 and with a WebSocket URL', () => {
    assert.deepEqual(
      parsed(`voispeed:Ualpha39@tscomm.it,${MD5},3939,192.168.0.220:5063,`),
      ALPHA39,
    );
    assert.deepEqual(
      parsed(`voispeed:Ualpha39@tscomm.it,${MD5},3939,wss://pbx.tscomm.it:8089/ws,[::1]:5060`),
      { ...ALPHA39, servers: ['wss://pbx.tscomm.it:8089/ws', '[::1]:5060'] },
    );
  });

  const refusals = [
    ['voispeed:', 'no-number', 'voispeed: link has no command or number'],
    ['voispeed: C', 'no-number', 'voispeed: C link has no number'],
    ['voispeed: F', 'no-number', 'voispeed: link has no number to forward the call to'],
    ['voispeed: C 18x', 'bad-number'],
    ['voispeed: 1+2', 'bad-number'],
    ['voispeed: X 187', 'unknown-command'],
    ['voispeed: D 12/3', 'bad-call-id'],
    ['voispeed:%E0%A4%A', 'bad-encoding'],
    ['voispeed:187%E2%80%8B', 'forbidden-character'],
    [
      `voispeed:alpha39@tscomm.it,${MD5},3939,192.168.0.220`,
      'bad-autoconfiguration',
      'voispeed: autoconfiguration is written U{user}@{domain},{md5 password},{internal},{url1}[,{url2}]',
    ],
    [`voispeed:Ualpha39@tscomm.it,${MD5},3939`, 'bad-autoconfiguration'],
    [`voispeed:Ualpha39@tscomm.it,${MD5},3939,a,b,c`, 'bad-autoconfiguration'],
    [`voispeed:Ualpha39tscomm.it,${MD5},3939,pbx`, 'bad-autoconfiguration'],
    [`voispeed:U@tscomm.it,${MD5},3939,pbx`, 'bad-autoconfiguration'],
    [`voispeed:Ualpha39@tscomm..it,${MD5},3939,pbx`, 'bad-autoconfiguration'],
    [
      `voispeed:Ualpha39@tscomm.it,${MD5.slice(1)},3939,pbx`,
      'bad-autoconfiguration',
      'voispeed: autoconfiguration password is not 32 hex digits (MD5)',
    ],
    [`voispeed:Ualpha39@tscomm.it,${MD5},39a9,pbx`, 'bad-autoconfiguration'],
    [`voispeed:Ualpha39@tscomm.it,${MD5},3939,pbx:99999`, 'bad-host'],
    [`voispeed:Ualpha39@tscomm.it,${MD5},3939,http://pbx`, 'bad-host'],
  ] as const;
  itRefuses(refusals, (error) => {
    assert.equal(error.scheme, 'voispeed');
    assert.ok(!error.message.includes(MD5.slice(1)), 'the password hash is never echoed');
  });
});
