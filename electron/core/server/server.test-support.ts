import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
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

/**
 * Shared by the socket tests of electron/core/server/: the browser target's local server in
 * front of a real core in a temporary profile, and the bridge WebSocket as the page speaks
 * it. Every wait is bounded: a hang fails the test instead of the run. Raw-socket clients
 * that misbehave are in ./attack.test-support.ts; temporary folders, ports and plain HTTP
 * requests are the layer's, in ../core.test-support.ts.
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

/**
 * One `start()` for the calling suite: started before its tests, stopped after them. The
 * answer reads through to that server, so tests use it as they would a `Running`.
 */
export function usingRunning(): Running {
  let current: Running | undefined;
  before(async () => {
    current = await start();
  });
  after(async () => {
    await current?.stop();
  });
  const now = (): Running => {
    assert.ok(current, 'the suite has not started its server');
    return current;
  };
  return {
    get core() {
      return now().core;
    },
    get server() {
      return now().server;
    },
    get port() {
      return now().port;
    },
    get origin() {
      return now().origin;
    },
    stop: () => now().stop(),
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

/** Ask `check` until it answers true, up to `ms`; an attempt that throws counts as false. */
export async function eventually(check: () => Promise<boolean>, ms = WAIT_MS): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await delay(10);
  }
  return false;
}
