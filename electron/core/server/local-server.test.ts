import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WIRE_MAX_MESSAGE_BYTES } from '../../../shared/bridge/wire.ts';
import { bridgeSources, contentSecurityPolicy } from './static-files.ts';
import {
  TEST,
  within,
  usingRunning,
  type ConnectOptions,
  connect,
  open,
  invoke,
  assertSnapshot,
  closed,
  replies,
} from './server.test-support.ts';
import { upgradeRequest, tcp, answerWhileHalfOpen } from './attack.test-support.ts';
import { httpRequest } from '../core.test-support.ts';

/** The browser target's local server: the page it serves and the bridge WebSocket. */
describe('local server: the page', () => {
  const running = usingRunning();

  it(
    'serves index.html with the browser target CSP and the other security headers',
    TEST,
    async () => {
      const page = await httpRequest(running.port, '/');
      assert.equal(page.status, 200);
      assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
      assert.match(page.body, /Comms Manager/);
      const csp = page.headers['content-security-policy'];
      assert.equal(csp, contentSecurityPolicy(bridgeSources(running.port)));
      assert.match(
        csp,
        new RegExp(
          `connect-src 'self' ws://127\\.0\\.0\\.1:${running.port} ws://localhost:${running.port}`,
        ),
      );
      assert.equal(page.headers['x-content-type-options'], 'nosniff');
      const script = await httpRequest(running.port, '/assets/app.js?v=1', {
        host: `localhost:${running.port}`,
      });
      assert.equal(script.status, 200);
      assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8');
    },
  );

  it('refuses traversal, raw or encoded, and sends the CSP with the refusal', TEST, async () => {
    for (const path of [
      '/../package.json',
      '/assets/../../package.json',
      '/%2e%2e/package.json',
      '/%2E%2E/%2e%2e/package.json',
      '/..%2fpackage.json',
      '/..%5cpackage.json',
      '/C%3A%5CWindows%5Cwin.ini',
      '/index.html%00.js',
      '/.env',
    ]) {
      const answer = await httpRequest(running.port, path);
      assert.equal(answer.status, 403, path);
      assert.doesNotMatch(answer.body, /secret-neighbour/, path);
      assert.ok(answer.headers['content-security-policy'], path);
    }
    assert.equal((await httpRequest(running.port, '/missing.js')).status, 404);
    assert.equal((await httpRequest(running.port, '/%E0%A4%A')).status, 404);
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin', TEST, async () => {
    const rebound = await httpRequest(running.port, '/', { host: `evil.example:${running.port}` });
    assert.equal(rebound.status, 403);
    assert.doesNotMatch(rebound.body, /<title>/);
    assert.equal((await httpRequest(running.port, '/', { host: '127.0.0.1:1' })).status, 403);
    const crossSite = await httpRequest(running.port, '/', { origin: 'https://evil.example' });
    assert.equal(crossSite.status, 403);
  });

  it('serves GET and HEAD only', TEST, async () => {
    assert.equal((await httpRequest(running.port, '/', {}, { method: 'POST' })).status, 405);
    const head = await httpRequest(running.port, '/', {}, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
  });
});

describe('local server: the bridge WebSocket', () => {
  const running = usingRunning();

  it('answers snapshot to the page with the right token and its own Origin', TEST, async () => {
    const client = await open(running);
    await assertSnapshot(client);
    client.close();
    await closed(client);
    const viaLocalhost = await connect(running, { origin: `http://localhost:${running.port}` });
    assert.ok(viaLocalhost.ok);
    await assertSnapshot(viaLocalhost.client);
    viaLocalhost.client.close();
  });

  it(
    'refuses no token, a wrong token, a foreign Origin, no Origin, another path',
    TEST,
    async () => {
      const wrong = `${running.server.token.slice(0, -1)}${running.server.token.endsWith('A') ? 'B' : 'A'}`;
      const cases: [string, ConnectOptions][] = [
        ['no token', { token: null }],
        ['an empty token', { token: '' }],
        ['a wrong token of the right length', { token: wrong }],
        ['a short token', { token: 'x' }],
        ['a foreign Origin', { origin: 'https://evil.example' }],
        ['the null Origin', { origin: 'null' }],
        ['no Origin', { origin: null }],
        ['a foreign Host', { headers: { host: `evil.example:${running.port}` } }],
        ['another path', { path: '/other' }],
        [
          'a cross-site fetch',
          { headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'websocket' } },
        ],
      ];
      for (const [what, options] of cases) {
        const opened = await connect(running, options);
        assert.deepEqual(opened.ok ? 'opened' : opened.status, 403, what);
      }
      // Still serving the page with the right token.
      const client = await open(running);
      await assertSnapshot(client);
      client.close();
    },
  );

  it('checks each request against its channel schema', TEST, async () => {
    const client = await open(running);
    const result = await invoke(client, 'command', { kind: 'NoSuchCommand' });
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'invalid-request');
    const snapshot = await invoke(client, 'snapshot', { sneaky: true });
    assert.equal(snapshot.ok ? '' : snapshot.error.code, 'invalid-request');
    client.close();
  });

  it(
    'closes a client that sends more than WIRE_MAX_MESSAGE_BYTES, and goes on serving',
    TEST,
    async () => {
      const big = await open(running);
      const watcher = await open(running);
      big.send(
        JSON.stringify({ id: 1, name: 'snapshot', request: 'x'.repeat(WIRE_MAX_MESSAGE_BYTES) }),
      );
      const code = await closed(big);
      assert.ok(code === 1009 || code === 1006, `closed with ${code}`);
      await assertSnapshot(watcher);
      const second = await open(running);
      await assertSnapshot(second);
      watcher.close();
      second.close();
    },
  );

  it('closes a client that sends invalid UTF-8, and goes on serving', TEST, async () => {
    const client = await open(running);
    client.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    const code = await closed(client);
    assert.ok(code === 1007 || code === 1006, `closed with ${code}`);
    const next = await open(running);
    await assertSnapshot(next);
    next.close();
  });

  it('closes a client that sends something other than a bridge request', TEST, async () => {
    const frames: [string, string | Buffer, number][] = [
      ['not JSON', 'not json', 1003],
      ['a truncated request', '{"id":1,"name":"snapshot"', 1003],
      ['JSON that is no request', JSON.stringify({ hello: 'world' }), 1008],
      ['an unknown channel', JSON.stringify({ id: 1, name: 'shutdown', request: null }), 1008],
      ['a negative id', JSON.stringify({ id: -1, name: 'snapshot', request: null }), 1008],
      ['a bare number', '42', 1008],
      ['a binary frame of junk', Buffer.from([0, 1, 2, 3]), 1003],
    ];
    for (const [what, frame, expected] of frames) {
      const client = await open(running);
      client.send(frame);
      assert.equal(await closed(client), expected, what);
    }
    const client = await open(running);
    await assertSnapshot(client);
    client.close();
  });

  it('survives peers that reset the connection right after an upgrade request', TEST, async () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const socket = await tcp(running.port);
      const token = attempt % 2 === 0 ? 'wrong' : running.server.token;
      socket.write(upgradeRequest(running.port, token));
      socket.resetAndDestroy();
    }
    // And a peer that resets once the refusal has started to come back.
    for (let attempt = 0; attempt < 5; attempt++) {
      const socket = await tcp(running.port);
      const answered = new Promise<void>((resolve) => {
        socket.once('data', () => {
          resolve();
        });
      });
      socket.write(upgradeRequest(running.port, 'wrong'));
      await within(answered, 'the refusal');
      socket.resetAndDestroy();
    }
    // The server handles those resets before these later connections: a crash fails here.
    assert.equal((await httpRequest(running.port, '/')).status, 200);
    const client = await open(running);
    await assertSnapshot(client);
    client.close();
  });

  it('closes a refused upgrade even when the peer keeps its half open', TEST, async () => {
    const answer = await answerWhileHalfOpen(running.port, upgradeRequest(running.port, 'wrong'));
    assert.match(answer, /^HTTP\/1\.1 403 /);
  });
});

/** JSON from the page is parsed in the core: its keys must never reach a prototype. */
describe('local server: prototype pollution through the bridge', () => {
  const running = usingRunning();

  it('refuses __proto__ and constructor keys in settings and pollutes nothing', TEST, async () => {
    const client = await open(running);
    const texts = [
      '{"id":9001,"name":"saveSettings","request":{"__proto__":{"polluted":"yes"},"extension":{"type":"pbx-events"},"lines":4}}',
      '{"id":9002,"name":"saveSettings","request":{"extension":{"type":"pbx-events","constructor":{"prototype":{"polluted":"yes"}}},"lines":4}}',
      '{"id":9003,"name":"command","request":{"kind":"SelectLine","line":2,"__proto__":{"polluted":"yes"}}}',
    ];
    const results = [];
    for (const text of texts) {
      const answer = replies(client, 1);
      client.send(text);
      results.push(...(await answer).values());
    }
    const [proto, constructor, command] = results;
    assert.equal(proto?.ok, false, JSON.stringify(proto));
    assert.equal(constructor?.ok, false, JSON.stringify(constructor));
    // A command's unknown keys are dropped by its schema; the command itself is fine.
    assert.equal(command?.ok, true, JSON.stringify(command));
    assert.equal(Object.hasOwn(Object.prototype, 'polluted'), false);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    const snapshot = await invoke(client, 'snapshot', null);
    assert.ok(snapshot.ok);
    assert.doesNotMatch(JSON.stringify(snapshot.value), /polluted/);
    client.close();
  });
});
