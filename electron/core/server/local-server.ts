import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  BRIDGE,
  EVENT_NAMES,
  type BridgeHost,
  type BridgeResult,
  type InvokeName,
} from '../../../shared/bridge/contract.ts';
import {
  WIRE_MAX_MESSAGE_BYTES,
  WireRequestSchema,
  type WireMessage,
} from '../../../shared/bridge/wire.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { checkCrossSite, checkHost, isLoopback, ownOrigins } from './http-guard.ts';
import { bridgeSources, readStaticFile, securityHeaders } from './static-files.ts';

/**
 * The browser target: serves the built renderer on 127.0.0.1 and carries the bridge
 * contract over a WebSocket at /bridge. The page finds the per-run token in its URL's
 * fragment (never sent in a request line, so never in a log) and presents it on connect.
 */

export interface LocalServerOptions {
  readonly port: number;
  readonly rendererDir: string;
  readonly bridge: BridgeHost;
}

/** Open Comms Manager pages (WebSockets); each also holds one of MAX_CONNECTIONS. */
const MAX_SOCKETS = 16;
/** TCP connections of any kind; beyond this the server accepts and drops at once. */
const MAX_CONNECTIONS = 32;
/** How long an HTTP connection may sit idle between requests, or stall mid-response. */
const KEEP_ALIVE_MS = 5_000;
const IDLE_MS = 30_000;

export class LocalServer {
  readonly token = randomBytes(32).toString('base64url');
  readonly #server: Server;
  readonly #sockets: WebSocketServer;
  readonly #options: LocalServerOptions;
  readonly #unsubscribe: (() => void)[] = [];

  private constructor(options: LocalServerOptions) {
    this.#options = options;
    this.#server = createServer({
      maxHeaderSize: 16 * 1024,
      headersTimeout: 10_000,
      requestTimeout: 20_000,
      keepAliveTimeout: KEEP_ALIVE_MS,
      // headersTimeout and requestTimeout are only checked this often (default 30 s).
      connectionsCheckingInterval: 1_000,
    });
    this.#server.maxConnections = MAX_CONNECTIONS;
    // With no 'timeout' listener on the server, Node destroys the idle socket.
    this.#server.setTimeout(IDLE_MS);
    this.#sockets = new WebSocketServer({ noServer: true, maxPayload: WIRE_MAX_MESSAGE_BYTES });
    this.#server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      this.#serveFile(request, response).catch(() => {
        response.destroy();
      });
    });
    this.#server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.#upgrade(request, socket, head);
    });
    for (const name of EVENT_NAMES) {
      this.#unsubscribe.push(
        options.bridge.on(name, (payload) => {
          this.#broadcast({ type: 'event', name, payload });
        }),
      );
    }
  }

  static async open(options: LocalServerOptions): Promise<Result<LocalServer, string>> {
    const local = new LocalServer(options);
    return new Promise((resolve) => {
      local.#server.once('error', (error: NodeJS.ErrnoException) => {
        resolve(
          err(`cannot serve the Comms Manager on 127.0.0.1:${options.port}: ${error.message}`),
        );
      });
      local.#server.listen(options.port, '127.0.0.1', () => {
        resolve(ok(local));
      });
    });
  }

  get port(): number {
    const address = this.#server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  /** What a person opens; the fragment carries the token. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/#token=${this.token}`;
  }

  close(): Promise<void> {
    for (const off of this.#unsubscribe) off();
    for (const client of this.#sockets.clients) client.terminate();
    return new Promise((resolve) => {
      this.#server.close(() => {
        resolve();
      });
      this.#server.closeAllConnections();
    });
  }

  #refusal(request: IncomingMessage): string | null {
    if (!isLoopback(request.socket.remoteAddress))
      return 'the Comms Manager is served to this computer only';
    return (
      checkHost(request.headers.host, this.port, []) ??
      checkCrossSite(request.headers, ownOrigins(this.port))
    );
  }

  async #serveFile(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const headers = securityHeaders(bridgeSources(this.port));
    const refusal = this.#refusal(request);
    if (refusal || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(refusal ? 403 : 405, {
        ...headers,
        'Content-Type': 'text/plain; charset=utf-8',
      });
      response.end(`${refusal ?? 'only GET is served here'}\n`);
      return;
    }
    const file = await readStaticFile(this.#options.rendererDir, request.url ?? '/');
    if (!file.ok) {
      response.writeHead(file.status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(file.status === 403 ? 'path outside the app\n' : 'not found\n');
      return;
    }
    response.writeHead(200, { ...headers, 'Content-Type': file.type });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Node takes its own error handler off the socket before 'upgrade': without this, a
    // peer that resets the connection while we answer would crash the process.
    socket.on('error', () => {
      socket.destroy();
    });
    const refusal = this.#upgradeRefusal(request);
    if (refusal) {
      // As ws does for its own refusals: close once the answer is out, even if the peer
      // would keep its half of the connection open.
      socket.once('finish', () => {
        socket.destroy();
      });
      socket.end(
        `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${refusal}\n`,
      );
      return;
    }
    this.#sockets.handleUpgrade(request, socket, head, (client) => {
      // A frame over WIRE_MAX_MESSAGE_BYTES or with invalid UTF-8: ws has already sent the
      // close frame saying why (1009, 1007); don't wait for a broken peer to answer it.
      client.on('error', () => {
        client.terminate();
      });
      client.on('message', (data: RawData) => {
        void this.#answer(client, data);
      });
    });
  }

  #upgradeRefusal(request: IncomingMessage): string | null {
    const refusal = this.#refusal(request);
    if (refusal) return refusal;
    if (request.headers.origin === undefined)
      return 'the bridge is for the Comms Manager page only';
    // The request target is raw (absolute-form included), so it may not parse at all.
    const target = request.url ?? '/';
    if (!URL.canParse(target, 'http://127.0.0.1')) return 'unknown path';
    const url = new URL(target, 'http://127.0.0.1');
    if (url.pathname !== '/bridge') return 'unknown path';
    if (!tokenMatches(url.searchParams.get('token'), this.token)) return 'missing or wrong token';
    if (this.#sockets.clients.size >= MAX_SOCKETS) return 'too many open Comms Manager pages';
    return null;
  }

  async #answer(client: WebSocket, data: RawData): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(rawToString(data));
    } catch {
      client.close(1003, 'not JSON');
      return;
    }
    const parsed = WireRequestSchema.safeParse(json);
    if (!parsed.success) {
      client.close(1008, 'not a bridge request');
      return;
    }
    const { id, request } = parsed.data;
    const name = parsed.data.name as InvokeName;
    send(client, { type: 'reply', id, result: await this.#invoke(name, request) });
  }

  /** The core's bridge checks the request against its channel's schema; here, never a throw. */
  async #invoke(name: InvokeName, request: unknown): Promise<BridgeResult<unknown>> {
    try {
      return await this.#options.bridge.invoke(name, request);
    } catch (error) {
      const { channel } = BRIDGE[name];
      console.error(`The core failed on ${channel}:`, error);
      return err({ code: 'internal', message: `the core failed on ${channel}` });
    }
  }

  #broadcast(message: WireMessage): void {
    for (const client of this.#sockets.clients) send(client, message);
  }
}

function send(client: WebSocket, message: WireMessage): void {
  if (client.readyState === client.OPEN) client.send(JSON.stringify(message));
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (data instanceof ArrayBuffer ? Buffer.from(new Uint8Array(data)) : data).toString('utf8');
}

function tokenMatches(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
