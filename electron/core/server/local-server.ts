import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  BRIDGE,
  BROADCAST_NAMES,
  type BridgeHost,
  type BridgeResult,
  type InvokeName,
  type PageSession,
} from '../../../shared/bridge/contract.ts';
import {
  WIRE_MAX_MESSAGE_BYTES,
  WireRequestSchema,
  type WireMessage,
} from '../../../shared/bridge/wire.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { GuardedHttp } from './guarded-http.ts';
import type { PortLimits } from './port-policy.ts';
import { bridgeSources, readStaticFile, securityHeaders } from './static-files.ts';
import { newToken, tokenMatches } from './token.ts';

/**
 * The browser target: serves the built renderer on 127.0.0.1 and carries the bridge
 * contract over a WebSocket at /bridge. The page finds the per-run token in its URL's
 * fragment (never sent in a request line, so never in a log) and presents it on connect.
 */

export interface BridgeLimits {
  /** Requests one page may have awaiting the core; beyond, each is answered at once with
   * 'too-many-requests' rather than queued. The page sends a handful at a time. */
  readonly maxInFlight: number;
  /** What may wait to be sent to one page that does not read; beyond, it is cut off. */
  readonly maxBufferedBytes: number;
}

export interface LocalServerOptions {
  readonly port: number;
  readonly rendererDir: string;
  readonly bridge: BridgeHost;
  readonly bridgeLimits?: Partial<BridgeLimits>;
  /**
   * Origins the page may connect to besides the bridge (the SIP server's WebSocket), asked
   * for each response so that a settings change applies to the next page load.
   */
  readonly connectSources?: () => readonly string[];
}

/** How much the bridge's pages have held at most; for diagnosis and tests. */
export interface BridgeLoad {
  readonly pages: number;
  readonly peakInFlight: number;
  readonly peakBufferedBytes: number;
  /** Pages cut off for not reading. */
  readonly cut: number;
}

/** Open Comms Manager pages (WebSockets); each also holds one of the port's connections. */
const MAX_SOCKETS = 16;
const PORT_LIMITS: Partial<PortLimits> = {
  maxConnections: 32,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 20_000,
  // How long an HTTP connection may sit idle between requests, or stall mid-response.
  keepAliveMs: 5_000,
  idleMs: 30_000,
};
const BRIDGE_LIMITS: BridgeLimits = { maxInFlight: 32, maxBufferedBytes: 4 * 1024 * 1024 };

export class LocalServer {
  readonly token = newToken();
  readonly #sockets: WebSocketServer;
  readonly #options: LocalServerOptions;
  readonly #limits: BridgeLimits;
  readonly #unsubscribe: (() => void)[] = [];
  /** Requests each page has awaiting the core. */
  readonly #inFlight = new WeakMap<WebSocket, number>();
  #http: GuardedHttp | null = null;
  #load = { peakInFlight: 0, peakBufferedBytes: 0, cut: 0 };

  private constructor(options: LocalServerOptions) {
    this.#options = options;
    this.#limits = { ...BRIDGE_LIMITS, ...options.bridgeLimits };
    this.#sockets = new WebSocketServer({ noServer: true, maxPayload: WIRE_MAX_MESSAGE_BYTES });
  }

  static async open(options: LocalServerOptions): Promise<Result<LocalServer, string>> {
    const local = new LocalServer(options);
    const opened = await GuardedHttp.open({
      // Loopback only, every cross-site request refused: the page is ours alone.
      policy: { port: options.port, allowFrom: [], hostNames: [], limits: PORT_LIMITS },
      crossSite: 'refuse',
      handle: (request, response) => {
        local.#serveFile(request, response).catch(() => {
          response.destroy();
        });
      },
      upgrade: (request, socket, head) => local.#upgrade(request, socket, head),
      refusalHeaders: (port) => securityHeaders(local.#connectSources(port)),
    });
    if (!opened.ok) {
      return err(`cannot serve the Comms Manager on 127.0.0.1:${options.port}: ${opened.error}`);
    }
    local.#http = opened.value;
    for (const name of BROADCAST_NAMES) {
      local.#unsubscribe.push(
        options.bridge.on(name, (payload) => {
          local.#broadcast({ type: 'event', name, payload });
        }),
      );
    }
    return ok(local);
  }

  get port(): number {
    return this.#http?.port ?? 0;
  }

  /** What a person opens; the fragment carries the token. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/#token=${this.token}`;
  }

  load(): BridgeLoad {
    return { pages: this.#sockets.clients.size, ...this.#load };
  }

  #connectSources(port: number): string[] {
    return [...bridgeSources(port), ...(this.#options.connectSources?.() ?? [])];
  }

  async close(): Promise<void> {
    for (const off of this.#unsubscribe) off();
    for (const client of this.#sockets.clients) client.terminate();
    await this.#http?.close();
  }

  async #serveFile(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const headers = securityHeaders(this.#connectSources(this.port));
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('only GET is served here\n');
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

  /** Peer, Host and cross-site checks have passed (GuardedHttp); the bridge's own follow. */
  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): string | null {
    const refusal = this.#upgradeRefusal(request);
    if (refusal) return refusal;
    this.#sockets.handleUpgrade(request, socket, head, (client) => {
      // Each socket is one page to the core: its requests come from that page, and events
      // meant for that page alone go down this socket only. 'close' follows terminate too.
      const session = this.#options.bridge.attach({
        send: (name, payload) => {
          this.#send(client, { type: 'event', name, payload });
        },
      });
      client.once('close', () => {
        session.detach();
      });
      // A frame over WIRE_MAX_MESSAGE_BYTES or with invalid UTF-8: ws has already sent the
      // close frame saying why (1009, 1007); don't wait for a broken peer to answer it.
      client.on('error', () => {
        client.terminate();
      });
      client.on('message', (data: RawData) => {
        void this.#answer(client, session, data);
      });
    });
    return null;
  }

  #upgradeRefusal(request: IncomingMessage): string | null {
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

  async #answer(client: WebSocket, session: PageSession, data: RawData): Promise<void> {
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
    const inFlight = this.#inFlight.get(client) ?? 0;
    if (inFlight >= this.#limits.maxInFlight) {
      const message = `more than ${this.#limits.maxInFlight} requests are awaiting an answer`;
      this.#send(client, {
        type: 'reply',
        id,
        result: err({ code: 'too-many-requests', message }),
      });
      return;
    }
    this.#inFlight.set(client, inFlight + 1);
    this.#load.peakInFlight = Math.max(this.#load.peakInFlight, inFlight + 1);
    const result = await this.#invoke(session, name, request);
    this.#inFlight.set(client, (this.#inFlight.get(client) ?? 1) - 1);
    this.#send(client, { type: 'reply', id, result });
  }

  /** The core's bridge checks the request against its channel's schema; here, never a throw. */
  async #invoke(
    session: PageSession,
    name: InvokeName,
    request: unknown,
  ): Promise<BridgeResult<unknown>> {
    try {
      return await session.invoke(name, request);
    } catch (error) {
      const { channel } = BRIDGE[name];
      console.error(`The core failed on ${channel}:`, error);
      return err({ code: 'internal', message: `the core failed on ${channel}` });
    }
  }

  #broadcast(message: WireMessage): void {
    for (const client of this.#sockets.clients) this.#send(client, message);
  }

  /** A page that does not read would otherwise queue everything sent to it, without end. */
  #send(client: WebSocket, message: WireMessage): void {
    if (client.readyState !== client.OPEN) return;
    client.send(JSON.stringify(message));
    const queued = client.bufferedAmount;
    this.#load.peakBufferedBytes = Math.max(this.#load.peakBufferedBytes, queued);
    if (queued <= this.#limits.maxBufferedBytes) return;
    this.#load.cut++;
    console.warn(`Cut off a Comms Manager page that is not reading: ${queued} bytes waiting.`);
    client.terminate();
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (data instanceof ArrayBuffer ? Buffer.from(new Uint8Array(data)) : data).toString('utf8');
}
