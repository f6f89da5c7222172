import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatLink } from './index.ts';
import { itRefuses, parsed } from './links.test-support.ts';

/** sip: and sips: links (RFC 3261): the user part is what is dialled, on the configured account. */

describe('sip: and sips: links', () => {
  const examples = [
    ['sip:alice@pbx.example.com', { number: 'alice', host: 'pbx.example.com' }],
    ['SIPS:alice@pbx.example.com:5061', { number: 'alice', host: 'pbx.example.com:5061' }],
    // RFC 3261 section 19.1.3's examples, the password dropped.
    ['sip:alice:secretword@atlanta.com;transport=tcp', { number: 'alice', host: 'atlanta.com' }],
    [
      'sip:+1-212-555-1212:1234@gateway.com;user=phone',
      { number: '+12125551212', host: 'gateway.com' },
    ],
    ['sip:alice@192.0.2.4', { number: 'alice', host: '192.0.2.4' }],
    ['sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com', { number: 'atlanta.com' }],
    ['sip:alice;day=tuesday@atlanta.com', { number: 'alice', host: 'atlanta.com' }],
    // A telephone-subscriber user part, read as tel: reads it.
    [
      'sip:+1-212-555-0100;ext=22@gw.example.com;user=phone',
      { number: '+12125550100', extension: '22', host: 'gw.example.com' },
    ],
    ['sip:%2B39%2006%20123@[2001:db8::1]:5060', { number: '+3906123', host: '[2001:db8::1]:5060' }],
    // No host: an extension, as people write one.
    ['sip:201', { number: '201' }],
    ['sip:john.doe', { number: 'john.doe' }],
    ['sip:*97@pbx', { number: '*97', host: 'pbx' }],
  ] as const;

  for (const [uri, fields] of examples) {
    const scheme = uri.toLowerCase().startsWith('sips:') ? 'sips' : 'sip';
    const link = { kind: 'dial', scheme, ...fields };
    it(`reads ${uri}`, () => assert.deepEqual(parsed(uri), link));
    it(`formats ${uri} back to a link that reads the same`, () =>
      assert.deepEqual(parsed(formatLink(parsed(uri))), link));
  }

  it('never keeps or writes the password', () => {
    const formatted = formatLink(parsed('sip:alice:secretword@atlanta.com'));
    assert.equal(formatted, 'sip:alice@atlanta.com');
  });

  const refusals = [
    ['sip:', 'no-number', 'sip: link has no user part to dial'],
    ['sip:@pbx', 'no-number'],
    ['sip::pw@pbx', 'no-number'],
    ['sip:a@b@c', 'bad-host', 'sip: host "b@c" is not a host name or IP address'],
    ['sip:alice@', 'bad-host'],
    ['sip:alice@pbx:0', 'bad-host'],
    ['sip:alice@pbx:70000', 'bad-host'],
    ['sip:alice@-pbx', 'bad-host'],
    ['sip:alice@[zz]', 'bad-host'],
    [
      'sip:john%20doe@pbx',
      'bad-number',
      'sip: user "john doe" contains " "; a user name holds letters, digits and - _ . ! ~ * & = + $ ,',
    ],
    ['sip:al%22ice@pbx', 'bad-number'],
    ['sip:al%ice@pbx', 'bad-encoding'],
    ['sip:al%E2%80%8Bice@pbx', 'forbidden-character'],
    ['sips:201;ext=1;ext=2', 'bad-parameter'],
  ] as const;
  itRefuses(refusals);
});
