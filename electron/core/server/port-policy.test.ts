import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { IncomingHttpHeaders } from 'node:http';
import {
  allowList,
  bindAddress,
  checkHost,
  checkPeer,
  checkSingleHost,
  checkVersion,
  DEFAULT_LIMITS,
  fallbackAddress,
  isLoopback,
  NavigationGate,
  normaliseAddress,
  ownOrigins,
  readCrossSite,
  slotsFor,
} from './port-policy.ts';

/** Null when the page or script may go on, else why not. */
function checkCrossSite(headers: IncomingHttpHeaders, origins: readonly string[]): string | null {
  const site = readCrossSite(headers, origins);
  return site.kind === 'refused' ? site.reason : null;
}

describe('port policy', () => {
  it('binds to loopback unless remote peers are allowed, then dual stack or IPv4', () => {
    assert.equal(bindAddress({ allowFrom: [] }), '127.0.0.1');
    assert.equal(bindAddress({ allowFrom: ['192.168.1.20'] }), '::');
    assert.equal(fallbackAddress('::', 'EAFNOSUPPORT'), '0.0.0.0');
    assert.equal(fallbackAddress('::', 'EADDRINUSE'), null);
    assert.equal(fallbackAddress('127.0.0.1', 'EAFNOSUPPORT'), null);
  });

  it('keeps slots for allowed PBX addresses that loopback clients cannot take', () => {
    const limits = { ...DEFAULT_LIMITS, maxConnections: 32, reservedForAllowed: 8 };
    const local = { port: 0, allowFrom: [], hostNames: [] };
    const remote = { ...local, allowFrom: ['192.168.1.20'] };
    assert.equal(slotsFor(true, local, limits), 32);
    assert.equal(slotsFor(true, remote, limits), 24);
    assert.equal(slotsFor(false, remote, limits), limits.maxConnectionsPerPeer);
  });

  it('refuses a second Host and request lines of other HTTP versions', () => {
    assert.equal(checkSingleHost(['Host', 'a', 'X', 'y']), null);
    assert.match(checkSingleHost(['Host', 'a', 'hOST', 'b']) ?? '', /more than one Host/);
    assert.equal(checkVersion(1, 1), null);
    assert.equal(checkVersion(1, 0), null);
    assert.equal(checkVersion(0, 9)?.status, 400);
    assert.equal(checkVersion(2, 0)?.status, 505);
  });

  it('admits one clicked navigation per interval', () => {
    const gate = new NavigationGate(1_000);
    assert.ok(gate.admit(10_000));
    assert.ok(!gate.admit(10_001));
    assert.ok(!gate.admit(10_999));
    assert.ok(gate.admit(11_000));
  });

  it('knows loopback in every spelling a socket reports it', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) {
      assert.ok(isLoopback(address), address);
    }
    for (const address of ['10.0.0.1', '::ffff:10.0.0.1', 'fe80::1', '', undefined]) {
      assert.ok(!isLoopback(address), String(address));
    }
    assert.equal(normaliseAddress('::ffff:192.168.1.20'), '192.168.1.20');
  });

  it('lets allowed PBX addresses in, compared as addresses', () => {
    const allowed = allowList(['192.168.1.20', 'FE80:0::1']);
    assert.equal(checkPeer('::ffff:192.168.1.20', allowed), null);
    assert.equal(checkPeer('fe80::1', allowed), null);
    assert.equal(checkPeer('127.0.0.1', allowList([])), null);
    assert.match(checkPeer('192.168.1.21', allowed) ?? '', /192\.168\.1\.21 is not in the list/);
  });

  it('accepts only our own Host names, with the port', () => {
    assert.equal(checkHost('127.0.0.1:5555', 5555, []), null);
    assert.equal(checkHost('LOCALHOST:5555', 5555, []), null);
    assert.equal(checkHost('[::1]:5555', 5555, []), null);
    assert.equal(checkHost('pc-reception:5555', 5555, ['pc-reception']), null);
    assert.equal(checkHost(undefined, 5555, []), null, 'HTTP/1.0 scripts send no Host');
    assert.match(checkHost('127.0.0.1:5556', 5555, []) ?? '', /is not this computer/);
    assert.match(checkHost('attacker.example:5555', 5555, []) ?? '', /attacker\.example/);
  });

  it('refuses what a web page fires, even from another port on this computer', () => {
    const origins = ownOrigins(5555);
    assert.equal(checkCrossSite({}, origins), null, 'curl and PBX scripts send neither header');
    assert.equal(checkCrossSite({ 'sec-fetch-site': 'none' }, origins), null);
    assert.equal(checkCrossSite({ origin: 'http://127.0.0.1:5555' }, origins), null);
    assert.equal(
      checkCrossSite({ 'sec-fetch-site': 'same-origin', origin: 'http://localhost:5555' }, origins),
      null,
    );
    assert.notEqual(checkCrossSite({ origin: 'http://127.0.0.1:8080' }, origins), null);
    assert.notEqual(
      checkCrossSite({ 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'no-cors' }, origins),
      null,
    );
    assert.notEqual(
      checkCrossSite({ 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' }, origins),
      null,
    );
    const clicked = {
      'sec-fetch-site': 'cross-site',
      'sec-fetch-mode': 'navigate',
      'sec-fetch-user': '?1',
      'sec-fetch-dest': 'document',
    };
    assert.deepEqual(readCrossSite(clicked, origins), { kind: 'clicked-navigation' });
    assert.deepEqual(readCrossSite({}, origins), { kind: 'own' });
    // A click that loads into a frame, an embed or nothing at all is not a top-level one.
    for (const dest of ['iframe', 'frame', 'embed', 'object', 'empty', 'image', undefined]) {
      assert.notEqual(checkCrossSite({ ...clicked, 'sec-fetch-dest': dest }, origins), null);
    }
    assert.notEqual(checkCrossSite({ ...clicked, 'sec-fetch-user': undefined }, origins), null);
    assert.notEqual(checkCrossSite({ ...clicked, 'sec-fetch-mode': 'no-cors' }, origins), null);
  });

  it('never throws on arbitrary header values (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (host, origin, site) => {
        checkHost(host, 5555, ['a']);
        checkCrossSite({ origin, 'sec-fetch-site': site }, ownOrigins(5555));
        checkPeer(host, allowList([origin]));
      }),
    );
  });
});
