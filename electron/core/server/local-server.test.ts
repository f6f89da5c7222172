import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import type { BridgeHost, BridgeResult, InvokeName } from '../../../shared/bridge/contract.ts';
import { WIRE_MAX_MESSAGE_BYTES, type WireMessage } from '../../../shared/bridge/wire.ts';
import type { Core } from '../core-api.ts';
import { createCore } from '../core.ts';
import { LocalServer } from './local-server.ts';
import { bridgeSources, contentSecurityPolicy } from './static-files.ts';

/**
 * The browser target's local server on real loopback sockets, in front of a real core in a
 * temporary profile. Every wait is bounded: a hang fails the test instead of the run.
 */

const WAIT_MS = 5_000;
const TEST = { timeout: 20_000 };

function within<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${what}: nothing after ${ms} ms`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Running {
  readonly core: Core;
  readonly server: LocalServer;
  readonly port: number;
  /** What the Comms Manager page would send as its Origin. */
  readonly origin: string;
  stop(): Promise<void>;
}

/** A real core and a real LocalServer; `wrap` may put a fault in front of the core. */
async function start(wrap?: (bridge: BridgeHost) => BridgeHost): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'callbridge-local-server-'));
  dirs.push(dir);
  const rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(
    join(rendererDir, 'index.html'),
    '<!doctype html><title>Comms Manager</title><script type="module" src="./assets/app.js"></script>',
  );
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'export {};\n');
  // A file next to the renderer folder, which traversal would reach.
  writeFileSync(join(dir, 'package.json'), '{"name":"secret-neighbour"}\n');
  const core = await createCore({ profileDir: join(dir, 'profile'), listenPort: 0 });
  const opened = await LocalServer.open({
    port: 0,
    rendererDir,
    bridge: wrap ? wrap(core.bridge) : core.bridge,
  });
  if (!opened.ok) {
    await core.close();
    throw new Error(opened.error);
  }
  const server = opened.value;
  return {
    core,
    server,
    port: server.port,
    origin: `http://127.0.0.1:${server.port}`,
    async stop() {
      await within(server.close(), 'closing the local server');
      await within(core.close(), 'closing the core');
    },
  };
}

interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** node:http rather than fetch: it sends the path and Host exactly as given. */
function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<HttpAnswer> {
  const answer = new Promise<HttpAnswer>((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, path, method, headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end();
  });
  return within(answer, `${method} ${path}`);
}

type Opened =
  | { readonly ok: true; readonly client: WebSocket }
  | { readonly ok: false; readonly status: number };

interface ConnectOptions {
  readonly token?: string | null;
  readonly origin?: string | null;
  readonly path?: string;
  readonly headers?: Record<string, string>;
}

/** Opens the bridge as the page does, unless an option says otherwise. */
function connect(running: Running, options: ConnectOptions = {}): Promise<Opened> {
  const token = options.token === undefined ? running.server.token : options.token;
  const query = token === null ? '' : `?token=${encodeURIComponent(token)}`;
  const origin = options.origin === undefined ? running.origin : options.origin;
  const client = new WebSocket(
    `ws://127.0.0.1:${running.port}${options.path ?? '/bridge'}${query}`,
    {
      ...(origin === null ? {} : { origin }),
      headers: options.headers ?? {},
      handshakeTimeout: WAIT_MS,
    },
  );
  // An abrupt close from the server may also surface as an error here; 'close' still follows.
  client.on('error', () => undefined);
  const opened = new Promise<Opened>((resolve, reject) => {
    client.once('open', () => {
      resolve({ ok: true, client });
    });
    client.once('unexpected-response', (request, response) => {
      resolve({ ok: false, status: response.statusCode ?? 0 });
      request.destroy();
    });
    client.once('close', () => {
      reject(new Error('the connection closed during the handshake'));
    });
  });
  return within(opened, 'opening the bridge');
}

async function open(running: Running): Promise<WebSocket> {
  const opened = await connect(running);
  assert.ok(opened.ok, `the bridge should open, got ${opened.ok ? '' : String(opened.status)}`);
  return opened.client;
}

let nextId = 1;

function invoke(client: WebSocket, name: string, request: unknown): Promise<BridgeResult<unknown>> {
  const id = nextId++;
  const reply = new Promise<BridgeResult<unknown>>((resolve, reject) => {
    const onMessage = (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as WireMessage;
      if (message.type !== 'reply' || message.id !== id) return;
      client.off('message', onMessage);
      resolve(message.result);
    };
    client.on('message', onMessage);
    client.once('close', () => {
      reject(new Error(`the bridge closed before answering ${name}`));
    });
  });
  client.send(JSON.stringify({ id, name, request }));
  return within(reply, `the answer to ${name}`);
}

async function assertSnapshot(client: WebSocket): Promise<void> {
  const result = await invoke(client, 'snapshot', null);
  assert.ok(result.ok, JSON.stringify(result));
  assert.ok(typeof result.value === 'object' && result.value !== null && 'table' in result.value);
}

function closed(client: WebSocket): Promise<number> {
  if (client.readyState === client.CLOSED) return Promise.resolve(1006);
  return within(
    new Promise<number>((resolve) => {
      client.once('close', (code: number) => {
        resolve(code);
      });
    }),
    'the server closing the bridge',
  );
}

function upgradeRequest(port: number, token: string): string {
  return [
    `GET /bridge?token=${token} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    `Origin: http://127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    '',
    '',
  ].join('\r\n');
}

function tcp(port: number, allowHalfOpen = false): Promise<Socket> {
  return within(
    new Promise<Socket>((resolve, reject) => {
      const socket = netConnect({ host: '127.0.0.1', port, allowHalfOpen }, () => {
        resolve(socket);
      });
      socket.on('error', reject);
    }),
    'a TCP connection',
  );
}

describe('local server: the page', () => {
  let running: Running;
  before(async () => {
    running = await start();
  });
  after(async () => {
    await running.stop();
  });

  it(
    'serves index.html with the browser target CSP and the other security headers',
    TEST,
    async () => {
      const page = await get(running.port, '/');
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
      const script = await get(running.port, '/assets/app.js?v=1', {
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
      const answer = await get(running.port, path);
      assert.equal(answer.status, 403, path);
      assert.doesNotMatch(answer.body, /secret-neighbour/, path);
      assert.ok(answer.headers['content-security-policy'], path);
    }
    assert.equal((await get(running.port, '/missing.js')).status, 404);
    assert.equal((await get(running.port, '/%E0%A4%A')).status, 404);
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin', TEST, async () => {
    const rebound = await get(running.port, '/', { host: `evil.example:${running.port}` });
    assert.equal(rebound.status, 403);
    assert.doesNotMatch(rebound.body, /<title>/);
    assert.equal((await get(running.port, '/', { host: '127.0.0.1:1' })).status, 403);
    const crossSite = await get(running.port, '/', { origin: 'https://evil.example' });
    assert.equal(crossSite.status, 403);
  });

  it('serves GET and HEAD only', TEST, async () => {
    assert.equal((await get(running.port, '/', {}, 'POST')).status, 405);
    const head = await get(running.port, '/', {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
  });
});

describe('local server: the bridge WebSocket', () => {
  let running: Running;
  before(async () => {
    running = await start();
  });
  after(async () => {
    await running.stop();
  });

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
    // Give the server the time to see every reset before it is asked again.
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await get(running.port, '/')).status, 200);
    const client = await open(running);
    await assertSnapshot(client);
    client.close();
  });

  it('closes a refused upgrade even when the peer keeps its half open', TEST, async () => {
    const socket = await tcp(running.port, true);
    socket.removeAllListeners('error');
    socket.on('error', () => undefined);
    let poke: NodeJS.Timeout | undefined;
    const gone = new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      // Our half stays open; writing on tells a closed server socket (reset) from a
      // half-closed one that would go on holding a connection.
      socket.once('end', () => {
        poke = setInterval(() => socket.write('still here\r\n'), 50);
      });
      socket.once('close', () => {
        clearInterval(poke);
        resolve(Buffer.concat(chunks).toString('utf8'));
      });
    });
    socket.write(upgradeRequest(running.port, 'wrong'));
    try {
      const answer = await within(gone, 'the server closing a refused upgrade', 2_000);
      assert.match(answer, /^HTTP\/1\.1 403 /);
    } finally {
      clearInterval(poke);
      socket.destroy();
    }
  });
});

describe('local server: faults and limits', () => {
  it('answers internal when the core throws, and keeps the client', TEST, async (t) => {
    const failing = (bridge: BridgeHost): BridgeHost => ({
      on: bridge.on.bind(bridge),
      invoke: <K extends InvokeName>(name: K, request: unknown) => {
        if (name === 'command') throw new Error('injected fault');
        return bridge.invoke(name, request);
      },
    });
    const running = await start(failing);
    const logged = t.mock.method(console, 'error', () => undefined);
    try {
      const client = await open(running);
      const result = await invoke(client, 'command', { kind: 'SelectLine', line: 1 });
      assert.ok(!result.ok);
      assert.equal(result.error.code, 'internal');
      assert.equal(logged.mock.callCount(), 1);
      await assertSnapshot(client);
      client.close();
    } finally {
      await running.stop();
    }
  });

  it('drops connections beyond its limit, and serves again once they are gone', TEST, async () => {
    const running = await start();
    const held: Socket[] = [];
    try {
      for (let count = 0; count < 32; count++) {
        const socket = await tcp(running.port);
        socket.on('error', () => undefined);
        socket.write('GET / HTTP/1.1\r\n'); // A request that never finishes its headers.
        held.push(socket);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      const extra = await tcp(running.port);
      extra.on('error', () => undefined);
      await within(
        new Promise<void>((resolve) => {
          extra.once('close', () => {
            resolve();
          });
        }),
        'the 33rd connection being dropped',
      );
      for (const socket of held.splice(0)) socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal((await get(running.port, '/')).status, 200);
    } finally {
      for (const socket of held) socket.destroy();
      await running.stop();
    }
  });
});
