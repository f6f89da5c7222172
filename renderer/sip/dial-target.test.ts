import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dialTarget } from './dial-target.ts';
import { domainOf, routeUri } from './sip-uri.ts';

const ACCOUNT = 'sip:1001@pbx.example.com';
const targetOf = (number: string, account = ACCOUNT): string => {
  const result = dialTarget(number, account);
  return result.ok ? result.value.target : `error ${result.error.code}`;
};

describe('dialTarget', () => {
  it('dials digits at the account’s domain, without the separators people write', () => {
    assert.equal(targetOf('1002'), 'sip:1002@pbx.example.com');
    assert.equal(targetOf('+49 (30) 1234-567'), 'sip:+49301234567@pbx.example.com');
    assert.equal(targetOf('030/123.45\u00A067'), 'sip:0301234567@pbx.example.com');
    assert.equal(targetOf('  *97  '), 'sip:*97@pbx.example.com');
  });

  it('escapes # in the user part', () => {
    assert.equal(targetOf('*21#'), 'sip:*21%23@pbx.example.com');
  });

  it('keeps the port of the account’s domain', () => {
    assert.equal(
      targetOf('1002', 'sip:1001@127.0.0.1:5060;transport=ws'),
      'sip:1002@127.0.0.1:5060',
    );
    assert.equal(targetOf('1002', '"Me" <sip:1001@[::1]:5060>'), 'sip:1002@[::1]:5060');
  });

  it('passes SIP addresses as they are', () => {
    assert.equal(targetOf('sip:alice@example.org'), 'sip:alice@example.org');
    assert.equal(
      targetOf('SIPS:bob@example.org;transport=tls'),
      'SIPS:bob@example.org;transport=tls',
    );
    assert.equal(targetOf('carol@example.org'), 'carol@example.org');
  });

  it('says what the line table shows for the number', () => {
    const result = dialTarget('+49 (30) 1234-567', ACCOUNT);
    assert.equal(result.ok && result.value.number, '+49301234567');
    const address = dialTarget('sip:alice@example.org', ACCOUNT);
    assert.equal(address.ok && address.value.number, 'alice@example.org');
  });

  it('refuses what is not a number, naming the character', () => {
    assert.equal(targetOf(''), 'error empty');
    assert.equal(targetOf('1-800-FLOWERS'), 'error bad-character');
    assert.equal(targetOf('12+34'), 'error bad-character');
    assert.equal(targetOf('+'), 'error bad-character');
    assert.equal(targetOf('1002', 'not a uri'), 'error bad-account-uri');
    const result = dialTarget('0800 CALL', ACCOUNT);
    assert.equal(
      result.ok ? '' : result.error.message,
      '"0800 CALL" cannot be dialled: it holds "C"',
    );
  });

  it('finds the domain of an account URI', () => {
    assert.equal(domainOf('sip:1001@pbx'), 'pbx');
    assert.equal(domainOf('sips:1001@pbx.example:5061;transport=wss'), 'pbx.example:5061');
    assert.equal(domainOf('sip:pbx.example'), 'pbx.example');
    assert.equal(domainOf('sip:1001@'), null);
  });

  it('turns an outbound proxy into the URI JsSIP routes through', () => {
    assert.equal(routeUri('sip:proxy.example;lr'), 'sip:proxy.example');
    assert.equal(
      routeUri(' <sip:10.0.0.1:5060;lr;transport=ws> '),
      'sip:10.0.0.1:5060;transport=ws',
    );
    assert.equal(routeUri('sip:proxy.example'), 'sip:proxy.example');
  });

  it('never throws, and a target it builds is a SIP URI at the account’s domain', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (number) => {
        const result = dialTarget(number, ACCOUNT);
        if (!result.ok || /^sips?:/i.test(number.trim()) || number.includes('@')) return;
        assert.match(result.value.target, /^sip:\+?[0-9*]*(%23[0-9*]*)*@pbx\.example\.com$/);
      }),
      { numRuns: 2000 },
    );
  });
});
