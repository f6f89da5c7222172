import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { WebSocket } from 'ws';
import type { BridgeHost, BridgeResult } from '../../../shared/bridge/contract.ts';
import type { WireMessage } from '../../../shared/bridge/wire.ts';
import type { Core } from '../core-api.ts';
import { createCore } from '../core.ts';
import { PLAIN_CODEC } from '../store/secret-store.ts';
import { LocalServer } from './local-server.ts';

/**
 * Shared by the local server's tests: the browser target's local server on real loopback sockets, in front of a real core in a
 * temporary profile. Every wait is bounded: a hang fails the test instead of the run.
 */

export const WAIT_MS = 5_000;
export const TEST = { timeout: 20_000 };

export function within<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
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

export const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

export interface Running {
  readonly core: Core;
  readonly server: LocalServer;
  readonly port: number;
  /** What the Comms Manager page would send as its Origin. */
  readonly origin: string;
  stop(): Promise<void>;
}

/** A real core and a real LocalServer; `wrap` may put a fault in front of the core. */
export async function start(wrap?: (bridge: BridgeHost) => BridgeHost): Promise<Running> {
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
  const core = await createCore({
    profileDir: join(dir, 'profile'),
    portOverrides: { 'listen-port': 0 },
    secretCodec: PLAIN_CODEC,
  });
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

export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** node:http rather than fetch: it sends the path and Host exactly as given. */
export function get(
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

export type Opened =
  | { readonly ok: true; readonly client: WebSocket }
  | { readonly ok: false; readonly status: number };

export interface ConnectOptions {
  readonly token?: string | null;
  readonly origin?: string | null;
  readonly path?: string;
  readonly headers?: Record<string, string>;
}

/** Opens the bridge as the page does, unless an option says otherwise. */
export function connect(running: Running, options: ConnectOptions = {}): Promise<Opened> {
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

export async function open(running: Running): Promise<WebSocket> {
  const opened = await connect(running);
  assert.ok(opened.ok, `the bridge should open, got ${opened.ok ? '' : String(opened.status)}`);
  return opened.client;
}

let nextId = 1;

export function invoke(
  client: WebSocket,
  name: string,
  request: unknown,
): Promise<BridgeResult<unknown>> {
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

export async function assertSnapshot(client: WebSocket): Promise<void> {
  const result = await invoke(client, 'snapshot', null);
  assert.ok(result.ok, JSON.stringify(result));
  assert.ok(typeof result.value === 'object' && result.value !== null && 'table' in result.value);
}

export function closed(client: WebSocket): Promise<number> {
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

export function upgradeRequest(port: number, token: string): string {
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

export function tcp(port: number, allowHalfOpen = false): Promise<Socket> {
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

/** Ask `check` until it answers true, up to `ms`; an attempt that throws counts as false. */
export async function eventually(check: () => Promise<boolean>, ms = WAIT_MS): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await delay(10);
  }
  return false;
}
