import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { EVENT_NAMES, type BridgeHost, type InvokeName } from '../../../shared/bridge/contract.ts';
import {
  WIRE_MAX_MESSAGE_BYTES,
  WireRequestSchema,
  type WireMessage,
} from '../../../shared/bridge/wire.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { checkCrossSite, checkHost, isLoopback, ownOrigins } from './http-guard.ts';
import { readStaticFile } from './static-files.ts';

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

const MAX_SOCKETS = 16;

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
    });
    this.#sockets = new WebSocketServer({ noServer: true, maxPayload: WIRE_MAX_MESSAGE_BYTES });
    this.#server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      void this.#serveFile(request, response);
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
    const refusal = this.#refusal(request);
    if (refusal || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(refusal ? 403 : 405, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`${refusal ?? 'only GET is served here'}\n`);
      return;
    }
    const file = await readStaticFile(this.#options.rendererDir, request.url ?? '/');
    const headers = {
      'content-security-policy': contentSecurityPolicy(this.port),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cache-control': 'no-cache',
    };
    if (file.status !== 200) {
      response.writeHead(file.status, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
      response.end(`${file.body}\n`);
      return;
    }
    response.writeHead(200, { ...headers, 'content-type': file.type });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const refusal =
      this.#refusal(request) ??
      (request.headers.origin === undefined
        ? 'the bridge is for the Comms Manager page only'
        : null) ??
      (url.pathname !== '/bridge' ? 'unknown path' : null) ??
      (tokenMatches(url.searchParams.get('token'), this.token) ? null : 'missing or wrong token') ??
      (this.#sockets.clients.size >= MAX_SOCKETS ? 'too many open Comms Manager pages' : null);
    if (refusal) {
      socket.end(
        `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${refusal}\n`,
      );
      return;
    }
    this.#sockets.handleUpgrade(request, socket, head, (client) => {
      client.on('message', (data: RawData) => {
        void this.#answer(client, data);
      });
    });
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
    const { id, name, request } = parsed.data;
    const result = await this.#options.bridge.invoke(name as InvokeName, request);
    send(client, { type: 'reply', id, result });
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

export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "media-src 'self' blob: mediastream:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
