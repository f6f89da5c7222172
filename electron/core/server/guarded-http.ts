import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { BlockList, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { err, ok, type Result } from '../../../shared/result.ts';
import { ConnectionTable } from './connection-table.ts';
import {
  allowList,
  bindAddress,
  checkHost,
  checkPeer,
  checkSingleHost,
  checkVersion,
  fallbackAddress,
  isLoopback,
  limitsOf,
  NavigationGate,
  normaliseAddress,
  ownOrigins,
  readCrossSite,
  type PortLimits,
  type PortPolicy,
} from './port-policy.ts';
import { destroyAfterFlush, rawResponse, readParseError, refusalHeaders } from './refusals.ts';

/**
 * A node:http server behind a PortPolicy: the handler sees only requests from allowed
 * peers, with our Host, not fired by a web page, within the size, count and time limits.
 * Every refusal is answered with a status and a one-line reason, reported to `onRefused`,
 * and its connection destroyed once the answer is out (or after a bounded flush), so a
 * client that neither reads nor closes cannot hold a slot.
 */

/** `status` 0: the connection was closed without an answer (peer not allowed, port full). */
export interface Refusal {
  readonly status: number;
  readonly reason: string;
  /** `address:port` of the peer. */
  readonly from: string;
  /** `METHOD target`, or `(connection)` / `(unreadable request)` before there is one. */
  readonly raw: string;
}

/** Only called once every guard has passed. */
export type RequestHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  from: string,
) => void;

/**
 * Called for an upgrade request once every guard has passed. Take the socket and answer
 * null, or answer a reason and the socket is refused with 403.
 */
export type UpgradeHandler = (
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  from: string,
) => string | null;

export interface GuardedHttpOptions {
  readonly policy: PortPolicy;
  readonly handle: RequestHandler;
  readonly onRefused?: (refusal: Refusal) => void;
  /**
   * 'refuse' (default): anything a web page fires is refused. 'clicked-navigation': a
   * top-level navigation a person clicked gets through, at most one per
   * `clickedNavigationIntervalMs`.
   */
  readonly crossSite?: 'refuse' | 'clicked-navigation';
  readonly upgrade?: UpgradeHandler;
  /** Extra headers on every refusal this module writes (a CSP, say); given the bound port. */
  readonly refusalHeaders?: (port: number) => Readonly<Record<string, string>>;
}

export class GuardedHttp {
  readonly #server: Server;
  readonly #options: GuardedHttpOptions;
  readonly #limits: PortLimits;
  readonly #table: ConnectionTable<Socket>;
  readonly #gate: NavigationGate;
  /** Bytes a connection had read when it last finished a response: more means a new request. */
  readonly #readAtIdle = new WeakMap<Socket, number>();
  readonly #sweep: NodeJS.Timeout;
  #policy: PortPolicy;
  #allowed: BlockList;
  #address = '';

  private constructor(options: GuardedHttpOptions) {
    this.#options = options;
    this.#policy = options.policy;
    this.#allowed = allowList(options.policy.allowFrom);
    this.#limits = limitsOf(options.policy);
    this.#table = new ConnectionTable(options.policy, this.#limits);
    this.#gate = new NavigationGate(this.#limits.clickedNavigationIntervalMs);
    const requestTimeout = Math.max(this.#limits.requestTimeoutMs, 1_000);
    this.#server = createServer({
      maxHeaderSize: this.#limits.maxHeaderBytes,
      // Our own sweep enforces the header deadlines (shorter when busy); Node's are the
      // backstop, and its requestTimeout also bounds a body.
      headersTimeout: Math.min(this.#limits.headersTimeoutMs + 1_000, requestTimeout),
      requestTimeout,
      keepAliveTimeout: this.#limits.keepAliveMs,
      // headersTimeout and requestTimeout are only checked this often (default 30 s).
      connectionsCheckingInterval: 1_000,
    });
    // With no 'timeout' listener on the server, Node destroys the idle socket.
    if (this.#limits.idleMs > 0) this.#server.setTimeout(this.#limits.idleMs);
    this.#server.on('connection', (socket: Socket) => {
      this.#connected(socket);
    });
    this.#server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      this.#request(request, response);
    });
    this.#server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
      this.#unreadable(error, socket);
    });
    if (options.upgrade) {
      this.#server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
        this.#upgrade(request, socket, head);
      });
    }
    // Deadlines hold to within a quarter of the shortest of them.
    const shortest = Math.min(this.#limits.busyHeadersTimeoutMs, this.#limits.headersTimeoutMs);
    const every = Math.max(25, Math.min(250, shortest / 4));
    this.#sweep = setInterval(() => {
      this.#expire();
    }, every);
    this.#sweep.unref();
  }

  static async open(options: GuardedHttpOptions): Promise<Result<GuardedHttp, string>> {
    const guarded = new GuardedHttp(options);
    const { port } = options.policy;
    const host = bindAddress(options.policy);
    let bound = await listen(guarded.#server, port, host);
    let address: string = host;
    const fallback = bound.ok ? null : fallbackAddress(host, bound.error.code);
    if (fallback !== null) {
      bound = await listen(guarded.#server, port, fallback);
      address = fallback;
    }
    if (bound.ok) {
      guarded.#address = address;
      return ok(guarded);
    }
    clearInterval(guarded.#sweep);
    // Read after a field label: "Listen port 5555 is already in use by another program".
    return err(
      bound.error.code === 'EADDRINUSE'
        ? `${port} is already in use by another program`
        : `cannot listen on ${address}:${port}: ${bound.error.message}`,
    );
  }

  get port(): number {
    const address = this.#server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  /** As bound: '127.0.0.1', '::', or '0.0.0.0' where IPv6 is missing. */
  get address(): string {
    return this.#address;
  }

  get policy(): PortPolicy {
    return this.#policy;
  }

  /** Connections holding a slot, and those beyond the limit waiting for their 503. */
  connections(): { readonly served: number; readonly overflow: number } {
    return this.#table.counts();
  }

  /**
   * Allowed peers and host names change in place, and peers no longer allowed are
   * dropped. A policy that needs another port or bind address is not applied (false):
   * that takes a new GuardedHttp. Limits are those given at open.
   */
  setPolicy(policy: PortPolicy): boolean {
    if (bindAddress(policy) !== bindAddress(this.#policy)) return false;
    if (policy.port !== this.#policy.port && policy.port !== this.port) return false;
    this.#policy = policy;
    this.#allowed = allowList(policy.allowFrom);
    this.#table.setPolicy(policy);
    for (const socket of this.#table.keys()) {
      const refusal = checkPeer(socket.remoteAddress, this.#allowed);
      if (refusal) this.#drop(socket, refusal);
    }
    return true;
  }

  close(): Promise<void> {
    clearInterval(this.#sweep);
    return new Promise((resolve) => {
      this.#server.close(() => {
        resolve();
      });
      this.#server.closeAllConnections();
      // Upgraded sockets are no longer Node's to close.
      for (const socket of this.#table.keys()) socket.destroy();
    });
  }

  #connected(socket: Socket): void {
    const refusal = checkPeer(socket.remoteAddress, this.#allowed);
    if (refusal) {
      this.#drop(socket, refusal);
      return;
    }
    const loopback = isLoopback(socket.remoteAddress);
    const peer = loopback ? 'loopback' : normaliseAddress(socket.remoteAddress);
    const admission = this.#table.admit(socket, peer, loopback, Date.now());
    if (admission === 'full') {
      this.#drop(socket, 'too many connections; try again later');
      return;
    }
    socket.once('close', () => {
      this.#table.remove(socket);
    });
  }

  #request(request: IncomingMessage, response: ServerResponse): void {
    const socket = request.socket;
    if (this.#table.phase(socket) === 'refusing') {
      response.destroy();
      return;
    }
    const busy = this.#take(socket);
    response.once('close', () => {
      this.#table.requestFinished(socket, Date.now());
      this.#readAtIdle.set(socket, socket.bytesRead);
    });
    const from = fromOf(socket);
    const raw = `${request.method ?? ''} ${request.url ?? ''}`;
    const refused = busy ?? this.#guard(request, this.#options.crossSite ?? 'refuse');
    if (refused) {
      this.#report(refused.status, refused.reason, from, raw);
      this.#answer(response, refused.status, refused.reason);
      return;
    }
    try {
      this.#options.handle(request, response, from);
    } catch (error) {
      const reason = `internal error: ${error instanceof Error ? error.message : String(error)}`;
      this.#report(500, reason, from, raw);
      if (response.headersSent) response.destroy();
      else this.#answer(response, 500, reason);
    }
  }

  #upgrade(request: IncomingMessage, socket: Socket, head: Buffer): void {
    // Node takes its own error handler off the socket before 'upgrade': without this, a
    // peer that resets the connection while we answer would crash the process.
    socket.on('error', () => {
      socket.destroy();
    });
    if (this.#table.phase(socket) === 'refusing') {
      socket.destroy();
      return;
    }
    const from = fromOf(socket);
    const raw = `${request.method ?? ''} ${request.url ?? ''}`;
    const refused = this.#take(socket) ?? this.#guard(request, 'refuse');
    const reason = refused ? null : this.#options.upgrade?.(request, socket, head, from);
    const refusal = refused ?? (reason ? { status: 403, reason } : null);
    if (refusal) {
      this.#report(refusal.status, refusal.reason, from, raw);
      this.#refuseSocket(socket, refusal.status, refusal.reason);
      return;
    }
    this.#table.taken(socket);
  }

  /** A slot for this request, or the 503 that says the port is full. */
  #take(socket: Socket): { status: number; reason: string } | null {
    const place = this.#table.requestStarted(socket, Date.now());
    if (place.evicted) this.#cut(place.evicted, false);
    if (place.served) return null;
    return { status: 503, reason: 'the port is busy; try again in a second' };
  }

  #guard(
    request: IncomingMessage,
    crossSite: 'refuse' | 'clicked-navigation',
  ): { status: number; reason: string } | null {
    const version = checkVersion(request.httpVersionMajor, request.httpVersionMinor);
    if (version) return version;
    const hosts = checkSingleHost(request.rawHeaders);
    if (hosts) return { status: 400, reason: hosts };
    const { hostNames } = this.#policy;
    const host = checkHost(request.headers.host, this.port, hostNames);
    if (host) return { status: 403, reason: host };
    const site = readCrossSite(request.headers, ownOrigins(this.port, hostNames));
    if (site.kind === 'refused') return { status: 403, reason: site.reason };
    if (site.kind === 'own') return null;
    if (crossSite === 'refuse') {
      return { status: 403, reason: 'requests that web pages fire (cross-site) are refused' };
    }
    if (this.#gate.admit(Date.now())) return null;
    return { status: 429, reason: 'one clicked link per second is accepted from web pages' };
  }

  /** Requests Node cannot even parse: oversized headers, garbage, a client too slow. */
  #unreadable(error: NodeJS.ErrnoException, socket: Socket): void {
    const phase = this.#table.phase(socket);
    // A reset is no request; and a response under way must not get raw bytes in its middle.
    if (error.code === 'ECONNRESET' || phase === 'refusing' || phase === 'active') {
      socket.destroy();
      return;
    }
    const { status, reason } = readParseError(error, this.#limits.maxHeaderBytes);
    this.#report(status, reason, fromOf(socket), '(unreadable request)');
    this.#table.refusing(socket);
    this.#refuseSocket(socket, status, reason);
  }

  #expire(): void {
    for (const { key, keptAlive } of this.#table.expire(Date.now())) {
      this.#cut(key, keptAlive);
    }
  }

  /**
   * A waiting connection loses its slot. An idle keep-alive that has sent nothing since its
   * last answer is closed quietly, as Node does; a started request gets its 408.
   */
  #cut(socket: Socket, keptAlive: boolean): void {
    this.#table.refusing(socket);
    const idle = keptAlive && socket.bytesRead === this.#readAtIdle.get(socket);
    if (idle) {
      socket.destroy();
      return;
    }
    const reason = 'the request was not completed in time';
    this.#report(408, reason, fromOf(socket), '(incomplete request)');
    this.#refuseSocket(socket, 408, reason);
  }

  #drop(socket: Socket, reason: string): void {
    this.#table.refusing(socket);
    this.#report(0, reason, fromOf(socket), '(connection)');
    socket.destroy();
  }

  #answer(response: ServerResponse, status: number, reason: string): void {
    const socket = response.socket;
    if (socket) {
      this.#table.refusing(socket);
      destroyAfterFlush(socket, this.#limits.refusalFlushMs);
    }
    response.shouldKeepAlive = false;
    const body = `${reason}\n`;
    response.writeHead(
      status,
      refusalHeaders(status, body, this.#options.refusalHeaders?.(this.port)),
    );
    response.end(body);
  }

  /** For a socket that has no ServerResponse (yet or any more). */
  #refuseSocket(socket: Socket, status: number, reason: string): void {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    destroyAfterFlush(socket, this.#limits.refusalFlushMs);
    const body = `${reason}\n`;
    const headers = refusalHeaders(status, body, this.#options.refusalHeaders?.(this.port));
    socket.end(rawResponse(status, headers, body));
  }

  #report(status: number, reason: string, from: string, raw: string): void {
    this.#options.onRefused?.({ status, reason, from, raw });
  }
}

function fromOf(socket: Socket): string {
  return `${normaliseAddress(socket.remoteAddress)}:${socket.remotePort ?? 0}`;
}

function listen(
  server: Server,
  port: number,
  host: string,
): Promise<Result<null, NodeJS.ErrnoException>> {
  return new Promise((resolve) => {
    const failed = (error: NodeJS.ErrnoException) => {
      resolve(err(error));
    };
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve(ok(null));
    });
  });
}
