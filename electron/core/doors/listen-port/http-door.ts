import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type BlockList, type Socket } from 'node:net';
import type { CallEvent } from '../../../../shared/model/call-event.ts';
import type { CommandError } from '../../../../shared/model/command-error.ts';
import {
  describeTelephonyRequest,
  formatSeasonOfficeError,
  parseTelephonyQuery,
  toCallEvent,
} from '../../../../shared/protocols/season-office.ts';
import { err, ok, type Result } from '../../../../shared/result.ts';
import type { DoorLog } from '../door.ts';
import {
  checkCrossSite,
  checkHost,
  allowList,
  checkPeer,
  normaliseAddress,
  ownOrigins,
} from '../../server/http-guard.ts';

/**
 * Season Office's "HTTP Message Alerting": a PBX or script sends
 * `GET /telephony?line=1&no=…&action=incoming&callerid=…` and the Comms Manager shows it.
 * The door reads the request, hands the CallEvent to the switchboard, and answers 200 or
 * a 4xx whose one-line body names what was wrong.
 */

export interface ListenPortPolicy {
  /** PBX addresses allowed besides loopback; when any is set the port binds to all interfaces. */
  readonly allowFrom: readonly string[];
  /** Names the PBX uses for this computer, accepted in the Host header. */
  readonly hostNames: readonly string[];
}

export type Delivery = (
  event: CallEvent,
) => Result<{ changed: boolean; summary: string }, CommandError>;

export interface ListenPortOptions extends ListenPortPolicy {
  readonly port: number;
  readonly log: DoorLog;
  readonly deliver: Delivery;
  /** Bounds for slow or abusive clients; tests may shorten them. */
  readonly headersTimeoutMs?: number;
}

const MAX_HEADER_BYTES = 16 * 1024;

/** The HTTP status for each refusal; the compiler finds a CommandError code left out. */
function statusFor(error: CommandError): number {
  switch (error.code) {
    case 'no-such-line':
    case 'invalid-event':
      return 400;
    case 'history-unavailable':
    case 'backend-unavailable':
      return 503;
    case 'timed-out':
      return 504;
    case 'not-capable':
    case 'no-call':
    case 'not-allowed-now':
    case 'refused-by-far-end':
      return 409;
  }
}
const MAX_CONNECTIONS = 32;

export class ListenPort {
  readonly #server: Server;
  readonly #options: ListenPortOptions;
  #policy: ListenPortPolicy;
  #allowed: BlockList;

  private constructor(server: Server, options: ListenPortOptions) {
    this.#server = server;
    this.#options = options;
    this.#policy = { allowFrom: options.allowFrom, hostNames: options.hostNames };
    this.#allowed = allowList(options.allowFrom);
  }

  /** Loopback only, unless PBX addresses are allowed: then every interface, IPv6 and IPv4. */
  static bindAddress(policy: ListenPortPolicy): string {
    return policy.allowFrom.length > 0 ? '::' : '127.0.0.1';
  }

  static async open(options: ListenPortOptions): Promise<Result<ListenPort, string>> {
    const headersTimeout = options.headersTimeoutMs ?? 5_000;
    const server = createServer({
      maxHeaderSize: MAX_HEADER_BYTES,
      headersTimeout,
      requestTimeout: headersTimeout * 2,
      keepAliveTimeout: 5_000,
      connectionsCheckingInterval: Math.min(1_000, headersTimeout / 2),
    });
    server.maxConnections = MAX_CONNECTIONS;
    const door = new ListenPort(server, options);
    // A peer that is not allowed is dropped before it can hold one of the few connections.
    server.on('connection', (socket: Socket) => {
      const refusal = checkPeer(socket.remoteAddress, door.#allowed);
      if (refusal) door.#dropPeer(socket, refusal);
    });
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      door.#handle(request, response);
    });
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
      door.#refuseMalformed(error, socket);
    });
    const host = ListenPort.bindAddress(options);
    let bound = await listen(server, options.port, host);
    // A machine without IPv6 cannot bind '::'; every IPv4 interface is the next best.
    if (!bound.ok && host === '::' && bound.error.code === 'EAFNOSUPPORT') {
      bound = await listen(server, options.port, '0.0.0.0');
    }
    if (bound.ok) return ok(door);
    return err(
      bound.error.code === 'EADDRINUSE'
        ? `port ${options.port} is already in use by another program`
        : `cannot listen on ${host}:${options.port}: ${bound.error.message}`,
    );
  }

  get port(): number {
    const address = this.#server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  get address(): string {
    return ListenPort.bindAddress(this.#policy);
  }

  /** Host names can change in place; a change of bind address needs a new ListenPort. */
  setPolicy(policy: ListenPortPolicy): void {
    this.#policy = policy;
    this.#allowed = allowList(policy.allowFrom);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => {
        resolve();
      });
      this.#server.closeAllConnections();
    });
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const from = `${normaliseAddress(request.socket.remoteAddress)}:${request.socket.remotePort ?? 0}`;
    const raw = `${request.method ?? ''} ${request.url ?? ''}`;
    const reply = (
      status: number,
      body: string,
      reading: string,
      error: string | null,
      outcome: string,
    ) => {
      this.#options.log.add({ direction: 'in', session: null, from, raw, reading, error, outcome });
      response.writeHead(status, {
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      response.end(`${body}\n`);
    };
    const refused = (status: number, reason: string) => {
      reply(status, reason, '', reason, `refused with ${status}`);
    };

    const guard =
      checkHost(request.headers.host, this.port, this.#policy.hostNames) ??
      checkCrossSite(request.headers, ownOrigins(this.port, this.#policy.hostNames));
    if (guard) {
      refused(403, guard);
      return;
    }
    if (request.method !== 'GET') {
      response.setHeader('allow', 'GET');
      refused(405, `method ${request.method ?? ''} is not allowed; send GET /telephony?…`);
      return;
    }
    const url = request.url ?? '/';
    const queryStart = url.indexOf('?');
    const path = queryStart === -1 ? url : url.slice(0, queryStart);
    if (path.toLowerCase() !== '/telephony') {
      refused(404, `path ${path.slice(0, 100)} is unknown; the listen port serves /telephony`);
      return;
    }

    const parsed = parseTelephonyQuery(queryStart === -1 ? '' : url.slice(queryStart + 1));
    if (!parsed.ok) {
      const message = formatSeasonOfficeError(parsed.error);
      reply(parsed.error.code === 'too-long' ? 414 : 400, message, '', message, 'nothing changed');
      return;
    }
    const reading = describeTelephonyRequest(parsed.value);
    let delivered: ReturnType<Delivery>;
    try {
      delivered = this.#options.deliver(toCallEvent(parsed.value));
    } catch (error) {
      const message = `internal error: ${error instanceof Error ? error.message : String(error)}`;
      reply(500, message, reading, message, 'nothing changed');
      return;
    }
    if (!delivered.ok) {
      const status = statusFor(delivered.error);
      reply(status, delivered.error.message, reading, delivered.error.message, 'nothing changed');
      return;
    }
    const outcome = delivered.value.changed
      ? delivered.value.summary
      : `no change: ${delivered.value.summary}`;
    reply(200, 'OK', reading, null, outcome);
  }

  #dropPeer(socket: Socket, reason: string): void {
    this.#options.log.add({
      direction: 'in',
      session: null,
      from: `${normaliseAddress(socket.remoteAddress)}:${socket.remotePort ?? 0}`,
      raw: '(connection)',
      reading: '',
      error: reason,
      outcome: 'connection closed',
    });
    socket.destroy();
  }

  /** Requests Node cannot even parse: oversized headers, garbage, a client too slow to finish. */
  #refuseMalformed(error: NodeJS.ErrnoException, socket: Socket): void {
    const [status, reason] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, `request line and headers exceed ${MAX_HEADER_BYTES} bytes`]
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'the request was not completed in time']
          : [400, `malformed HTTP request (${error.code ?? error.message})`];
    this.#options.log.add({
      direction: 'in',
      session: null,
      from: `${normaliseAddress(socket.remoteAddress)}:${socket.remotePort ?? 0}`,
      raw: '(unreadable request)',
      reading: '',
      error: reason,
      outcome: `refused with ${status}`,
    });
    if (socket.writable) {
      socket.end(
        `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\n` +
          `Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${reason}\n`,
      );
    } else {
      socket.destroy();
    }
  }
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
