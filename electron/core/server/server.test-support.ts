import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { connect as netConnect, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { WebSocket } from 'ws';
import type {
  BridgeHost,
  BridgeResult,
  InvokeName,
  InvokeResponse,
} from '../../../shared/bridge/contract.ts';
import type { WireMessage } from '../../../shared/bridge/wire.ts';
import type { Core } from '../core-api.ts';
import { createCore } from '../core.ts';
import { PLAIN_CODEC } from '../store/secret-store.ts';
import { tempDir } from '../core.test-support.ts';
import { LocalServer } from './local-server.ts';
import type { PortPolicy } from './port-policy.ts';

/**
 * Shared by the socket tests of electron/core/server/: raw loopback clients (well-behaved,
 * stubborn, slow, in bursts), a guarded server in a child process, and the browser
 * target's local server in front of a real core in a temporary profile. Every wait is
 * bounded: a hang fails the test instead of the run. Temporary folders, ports and plain
 * HTTP requests are the layer's, in ../core.test-support.ts.
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
  const dir = tempDir('callbridge-local-server-');
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

/** Runs in front of each invoke; `next` is the core's own answer. */
export type InvokeFault = (
  name: InvokeName,
  next: () => Promise<BridgeResult<unknown>>,
) => Promise<BridgeResult<unknown>>;

/** `bridge` with `fault` in front of every invoke, a page's (through its session) or not. */
export function withFault(bridge: BridgeHost, fault: InvokeFault): BridgeHost {
  // The fault hands back what `next` answered, or an error: the channel's type either way.
  const wrap = <K extends InvokeName>(
    name: K,
    next: () => Promise<BridgeResult<InvokeResponse<K>>>,
  ) => fault(name, next) as Promise<BridgeResult<InvokeResponse<K>>>;
  return {
    on: bridge.on.bind(bridge),
    invoke: (name, request) => wrap(name, () => bridge.invoke(name, request)),
    attach(page) {
      const session = bridge.attach(page);
      return {
        invoke: (name, request) => wrap(name, () => session.invoke(name, request)),
        detach: () => {
          session.detach();
        },
      };
    },
  };
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

export interface PageEvents {
  /** Every event `client` has received since `eventsOn`, in order. */
  readonly seen: readonly { readonly name: string; readonly payload: unknown }[];
  /** The oldest `name` event not taken yet, waiting up to `ms` for one. */
  next(name: string, ms?: number): Promise<unknown>;
}

/** Events on `client` from now on, broadcast or for that page alone, kept until taken. */
export function eventsOn(client: WebSocket): PageEvents {
  const seen: { name: string; payload: unknown }[] = [];
  const untaken = new Map<string, unknown[]>();
  const waiting = new Map<string, ((payload: unknown) => void)[]>();
  client.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString('utf8')) as WireMessage;
    if (message.type !== 'event') return;
    seen.push({ name: message.name, payload: message.payload });
    const waiter = waiting.get(message.name)?.shift();
    if (waiter) waiter(message.payload);
    else untaken.set(message.name, [...(untaken.get(message.name) ?? []), message.payload]);
  });
  return {
    seen,
    next(name, ms = WAIT_MS) {
      const queued = untaken.get(name);
      if (queued?.length) return Promise.resolve(queued.shift());
      const arrived = new Promise<unknown>((resolve) => {
        waiting.set(name, [...(waiting.get(name) ?? []), resolve]);
      });
      return within(arrived, `a ${name} event`, ms);
    },
  };
}

/** The next `count` replies on `client`, by id, whatever their order. */
export function replies(
  client: WebSocket,
  count: number,
  ms = WAIT_MS,
): Promise<Map<number, BridgeResult<unknown>>> {
  const seen = new Map<number, BridgeResult<unknown>>();
  const all = new Promise<Map<number, BridgeResult<unknown>>>((resolve, reject) => {
    const onMessage = (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as WireMessage;
      if (message.type !== 'reply') return;
      seen.set(message.id, message.result);
      if (seen.size < count) return;
      client.off('message', onMessage);
      resolve(seen);
    };
    client.on('message', onMessage);
    client.once('close', () => {
      reject(new Error(`the bridge closed after ${seen.size} of ${count} replies`));
    });
  });
  return within(all, `${count} replies`, ms);
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

// Raw sockets, for requests node:http would not send as written and clients that misbehave.

export interface Exchange {
  readonly response: string;
  /** 0: no status line came back. */
  readonly status: number;
  readonly closedByServer: boolean;
  readonly elapsedMs: number;
}

export const statusOf = (response: string): number =>
  Number(/^HTTP\/1\.[01] (\d{3}) /.exec(response)?.[1] ?? 0);

/** What comes back on `socket` until the server closes it, or `timeoutMs` passes. */
function answerOn(socket: Socket, timeoutMs: number): Promise<Exchange> {
  const started = performance.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = (closedByServer: boolean) => {
      clearTimeout(timer);
      const response = Buffer.concat(chunks).toString('latin1');
      const elapsedMs = performance.now() - started;
      resolve({ response, status: statusOf(response), closedByServer, elapsedMs });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      done(false);
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A reset still ends in 'close'; what arrived before it counts.
    socket.on('error', () => undefined);
    if (socket.destroyed) done(true);
    else
      socket.once('close', () => {
        done(true);
      });
  });
}

/** Sends `text` and collects the answer until the server closes, or `timeoutMs` passes. */
export function exchange(port: number, text: string, timeoutMs = WAIT_MS): Promise<Exchange> {
  const socket = netConnect({ host: '127.0.0.1', port });
  const answer = answerOn(socket, timeoutMs);
  socket.write(text);
  return answer;
}

export function goodRequest(port: number, path = '/telephony?l=1&n=1&a=i'): string {
  return `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`;
}

/** Writes `text`, then neither reads nor closes its half: what a stuck or hostile client does. */
export async function stubborn(port: number, text: string): Promise<Socket> {
  const socket = await tcp(port, true);
  socket.on('error', () => undefined);
  socket.pause();
  socket.write(text);
  return socket;
}

/**
 * Sends `text` on a connection whose client keeps its own half open, and resolves what came
 * back once the server has closed its side for good. Writing on after the server's FIN
 * tells a closed server socket (reset) from a half-closed one that would go on holding a
 * connection.
 */
export async function answerWhileHalfOpen(port: number, text: string, ms = 2_000): Promise<string> {
  const socket = await tcp(port, true);
  socket.removeAllListeners('error');
  socket.on('error', () => undefined);
  let poke: NodeJS.Timeout | undefined;
  const gone = new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('end', () => {
      poke = setInterval(() => socket.write('still here\r\n'), 50);
    });
    socket.once('close', () => {
      clearInterval(poke);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
  socket.write(text);
  try {
    return await within(gone, 'the server closing its side', ms);
  } finally {
    clearInterval(poke);
    socket.destroy();
  }
}

/** Opens `count` connections first, then sends a request on each at once. */
export async function burst(port: number, count: number, timeoutMs = 10_000): Promise<Exchange[]> {
  const sockets = await Promise.all(Array.from({ length: count }, () => tcp(port)));
  const answers = sockets.map((socket) => answerOn(socket, timeoutMs));
  for (const socket of sockets) if (!socket.destroyed) socket.write(goodRequest(port));
  return Promise.all(answers);
}

export interface SlowlorisOptions {
  readonly connections: number;
  /** One byte of an endless header per this interval. */
  readonly dribbleMs: number;
  readonly durationMs: number;
  /** A well-behaved client sends one request per this interval meanwhile. */
  readonly goodEveryMs: number;
}

/**
 * `connections` clients that dribble a request that never ends and reconnect whenever the
 * server cuts them, while a good client sends a request every `goodEveryMs`.
 */
export async function underSlowloris(
  port: number,
  options: SlowlorisOptions,
): Promise<{ readonly good: Exchange[]; readonly cuts: number }> {
  const stopAt = Date.now() + options.durationMs;
  const endless = `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Pad: ${'a'.repeat(4_000)}`;
  const open = new Set<Socket>();
  let cuts = 0;
  const attack = () => {
    if (Date.now() >= stopAt) return;
    const socket = netConnect({ host: '127.0.0.1', port });
    open.add(socket);
    let sent = 0;
    const dribble = setInterval(() => {
      if (sent < endless.length) socket.write(endless.charAt(sent++));
    }, options.dribbleMs);
    socket.on('error', () => undefined);
    socket.once('close', () => {
      clearInterval(dribble);
      open.delete(socket);
      cuts++;
      setTimeout(attack, 5);
    });
  };
  for (let index = 0; index < options.connections; index++) attack();
  // The attackers hold the slots before the good client starts.
  await delay(options.dribbleMs);
  const answers: Promise<Exchange>[] = [];
  while (Date.now() < stopAt - options.goodEveryMs) {
    answers.push(exchange(port, goodRequest(port), 3_000));
    await delay(options.goodEveryMs);
  }
  const good = await Promise.all(answers);
  for (const socket of open) socket.destroy();
  return { good, cuts };
}

export interface Child {
  readonly port: number;
  stop(): Promise<void>;
}

/** guarded-http.fixture.ts in a process of its own, answering 200 behind `policy`. */
export async function serveInChild(policy: PortPolicy): Promise<Child> {
  const fixture = join(import.meta.dirname, 'guarded-http.fixture.ts');
  const child = spawn(process.execPath, [fixture, JSON.stringify(policy)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const port = await within(
    new Promise<number>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => {
        resolve((JSON.parse(chunk.toString('utf8')) as { port: number }).port);
      });
      child.once('exit', (code) => {
        reject(new Error(`the fixture exited with ${String(code)}`));
      });
    }),
    'the fixture listening',
  );
  return {
    port,
    async stop() {
      child.stdin.end();
      await within(exited, 'the fixture exiting').catch(() => {
        child.kill('SIGKILL');
      });
    },
  };
}
