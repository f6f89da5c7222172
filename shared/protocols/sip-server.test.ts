import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseSipServer } from './sip-server.ts';

const url = (text: string) => {
  const parsed = parseSipServer(text);
  return parsed.ok ? parsed.value.url : `error ${parsed.error.code}`;
};

describe('SIP server address', () => {
  it('turns host and host:port into the WSS URL Asterisk and FreePBX serve', () => {
    assert.equal(url('pbx.example.com'), 'wss://pbx.example.com:8089/ws');
    assert.equal(url(' PBX.example.com:7443 '), 'wss://pbx.example.com:7443/ws');
    assert.equal(url('192.168.0.220'), 'wss://192.168.0.220:8089/ws');
    assert.equal(url('[fe80::1]:8089'), 'wss://[fe80::1]:8089/ws');
    assert.equal(url('pbx:443'), 'wss://pbx/ws');
  });

  it('takes ws:// and wss:// URLs as written, path and all', () => {
    assert.equal(url('wss://pbx.example.com:8089/ws'), 'wss://pbx.example.com:8089/ws');
    assert.equal(url('ws://127.0.0.1:5066/ws'), 'ws://127.0.0.1:5066/ws');
    assert.equal(url('wss://sip.example.com'), 'wss://sip.example.com/');
    assert.equal(url('WSS://Sip.Example.com:443/sip?x=1'), 'wss://sip.example.com/sip?x=1');
  });

  it('names the host for the default domain and the origin for the CSP', () => {
    const parsed = parseSipServer('ws://127.0.0.1:5066/ws');
    assert.ok(parsed.ok);
    assert.equal(parsed.value.host, '127.0.0.1');
    assert.equal(parsed.value.origin, 'ws://127.0.0.1:5066');
  });

  it('refuses what a softphone in a browser engine cannot reach, saying why', () => {
    const cases: [string, string, RegExp][] = [
      ['', 'empty', /is needed/],
      ['sip:pbx.example.com', 'not-websocket', /"sip:" cannot be used.*WebSocket/],
      ['https://pbx.example.com', 'not-websocket', /"https:"/],
      ['pbx.example.com:99999', 'bad-port', /from 1 to 65535/],
      ['pbx..example', 'bad-host', /not a host name/],
      ['wss://user:pw@pbx/ws', 'bad-url', /user name or password/],
      ['wss://pbx/ws#x', 'bad-url', /fragment/],
      ['wss://pbx/w s', 'bad-url', /path/],
      ['pbx\u200b.example.com', 'invisible-character', /index 3/],
      ['a'.repeat(600), 'too-long', /limit is 512/],
    ];
    for (const [text, code, message] of cases) {
      const parsed = parseSipServer(text);
      assert.ok(!parsed.ok, text);
      assert.equal(parsed.error.code, code, text);
      assert.match(parsed.error.message, message, text);
    }
  });

  it('never throws, and what it produces reads back as itself (properties)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        const parsed = parseSipServer(text);
        if (!parsed.ok) return;
        const again = parseSipServer(parsed.value.url);
        assert.ok(again.ok, parsed.value.url);
        assert.deepEqual(again.value, parsed.value);
      }),
      { numRuns: 2000 },
    );
    const host = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?(\.[a-z]{2,5}){0,2}$/);
    fc.assert(
      fc.property(host, fc.integer({ min: 1, max: 65535 }), (name, port) => {
        const parsed = parseSipServer(`${name}:${port}`);
        assert.ok(parsed.ok, `${name}:${port}`);
        const again = parseSipServer(parsed.value.url);
        assert.deepEqual(again, parsed);
      }),
    );
  });
});
