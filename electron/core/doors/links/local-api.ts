import type { IncomingMessage, ServerResponse } from 'node:http';
import { err, ok, type Result } from '../../../../shared/result.ts';
import { GuardedHttp } from '../../server/guarded-http.ts';
import { logRefusal } from '../../server/refusals.ts';
import { commandErrorStatus } from '../../server/http-status.ts';
import type { PortLimits } from '../../server/port-policy.ts';
import { destroyAfterFlush } from '../../server/refusals.ts';
import { tokenMatches } from '../../server/token.ts';
import type { DoorLog } from '../door.ts';
import type { LinkRefusal } from './plan.ts';

/**
 * The local API: `POST /open` with `Authorization: Bearer <token>` and `{"link": "<link>"}`,
 * on 127.0.0.1 only, for `callbridge open`, the browser target's desktop entry and the
 * Electron shell's own links. The shared guards (server/guarded-http.ts) refuse foreign
 * Host names and anything a web page fires (an Origin, `Sec-Fetch-Site`), with no CORS
 * headers ever, so a page can neither send a link here nor read an answer; the token keeps
 * out local programs that cannot read the profile. Answers are JSON:
 * `{"outcome": "done" | "asked", "message"}` (200, 202) or `{"error": {"code", "message"}}`.
 */

/** What the door made of a link: done, asked in the Comms Manager, or refused. */
export type LinkAnswer = Result<
  { readonly outcome: 'done' | 'asked'; readonly message: string },
  LinkRefusal
>;

/** Hands one link to the door, which reads it, logs it and acts; `from` is the peer. */
export type LinkIntake = (link: string, from: string) => Promise<LinkAnswer>;

export interface LocalApiOptions {
  readonly token: string;
  readonly intake: LinkIntake;
  readonly log: DoorLog;
  /** Bounds for slow or abusive clients; tests may shorten them. */
  readonly limits?: Partial<PortLimits>;
}

/** `{"link": …}` with a link of up to 2048 characters fits with room to spare. */
export const BODY_LIMIT = 8192;

const LIMITS: Partial<PortLimits> = {
  maxConnections: 16,
  headersTimeoutMs: 5_000,
  // Receiving the whole request, body included: a client that dribbles is cut off.
  requestTimeoutMs: 5_000,
  keepAliveMs: 2_000,
  idleMs: 10_000,
};

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

/** The HTTP status for each refusal; the compiler finds a code left out. */
function statusFor(error: LinkRefusal): number {
  switch (error.code) {
    case 'malformed-link':
      return 400;
    case 'too-many-questions':
      return 429;
    case 'settings-refused':
    case 'no-such-call':
      return 409;
    default:
      return commandErrorStatus(error);
  }
}

export class LocalApi {
  readonly #http: GuardedHttp;

  private constructor(http: GuardedHttp) {
    this.#http = http;
  }

  static async open(options: LocalApiOptions): Promise<Result<LocalApi, string>> {
    const opened = await GuardedHttp.open({
      policy: {
        port: 0,
        allowFrom: [],
        hostNames: [],
        limits: { ...LIMITS, ...options.limits },
      },
      crossSite: 'refuse',
      handle: (request, response, from) => {
        handle(request, response, from, options);
      },
      onRefused: (refusal) => {
        logRefusal(options.log, refusal);
      },
    });
    return opened.ok ? ok(new LocalApi(opened.value)) : err(opened.error);
  }

  get port(): number {
    return this.#http.port;
  }

  get address(): string {
    return this.#http.address;
  }

  /** Connections holding a slot, and those waiting for their 503; for diagnosis and tests. */
  connections(): { readonly served: number; readonly overflow: number } {
    return this.#http.connections();
  }

  close(): Promise<void> {
    return this.#http.close();
  }
}

function send(response: ServerResponse, status: number, body: unknown, close: boolean): void {
  if (close) {
    // The body may still be coming: answer, then close rather than read it.
    response.shouldKeepAlive = false;
    if (response.socket) destroyAfterFlush(response.socket, 1_000);
  }
  const text = `${JSON.stringify(body)}\n`;
  response.writeHead(status, {
    ...JSON_HEADERS,
    'content-length': String(Buffer.byteLength(text)),
    ...(close ? { connection: 'close' } : {}),
  });
  response.end(text);
}

function handle(
  request: IncomingMessage,
  response: ServerResponse,
  from: string,
  { token, intake, log }: LocalApiOptions,
): void {
  const raw = `${request.method ?? ''} ${request.url ?? ''}`;
  const refuse = (status: number, code: string, message: string) => {
    log.add({
      direction: 'in',
      session: null,
      from,
      raw,
      reading: '',
      error: message,
      outcome: `refused with ${status}`,
    });
    send(response, status, { error: { code, message } }, true);
  };

  if (request.url !== '/open') {
    refuse(404, 'unknown-path', 'the local API serves POST /open only');
    return;
  }
  if (request.method !== 'POST') {
    response.setHeader('allow', 'POST');
    refuse(405, 'wrong-method', `method ${request.method ?? ''} is not allowed; send POST /open`);
    return;
  }
  const bearer = /^Bearer (\S+)$/u.exec(request.headers.authorization ?? '')?.[1];
  if (!tokenMatches(bearer, token)) {
    response.setHeader('www-authenticate', 'Bearer');
    refuse(401, 'wrong-token', 'missing or wrong token (it is in local-api.json in the profile)');
    return;
  }
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/iu.test(type)) {
    refuse(415, 'wrong-type', 'send the link as JSON: {"link": "<link>"}');
    return;
  }
  if (Number(request.headers['content-length'] ?? 0) > BODY_LIMIT) {
    refuse(413, 'too-large', `the request body is over ${BODY_LIMIT} bytes`);
    return;
  }

  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  request.on('data', (chunk: Buffer) => {
    if (refused) return;
    size += chunk.length;
    if (size > BODY_LIMIT) {
      refused = true;
      refuse(413, 'too-large', `the request body is over ${BODY_LIMIT} bytes`);
      return;
    }
    chunks.push(chunk);
  });
  request.on('end', () => {
    if (refused) return;
    const link = readBody(Buffer.concat(chunks).toString('utf8'));
    if (link === null) {
      refuse(400, 'bad-request', 'the body must be {"link": "<link>"}');
      return;
    }
    intake(link, from).then(
      (answer) => {
        if (answer.ok) {
          send(response, answer.value.outcome === 'asked' ? 202 : 200, answer.value, false);
        } else {
          const { code, message } = answer.error;
          send(response, statusFor(answer.error), { error: { code, message } }, false);
        }
      },
      (error: unknown) => {
        const message = `internal error: ${error instanceof Error ? error.message : String(error)}`;
        refuse(500, 'internal', message);
      },
    );
  });
}

/** The link in `{"link": "…"}` and nothing else, or null. */
function readBody(text: string): string | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const keys = Object.keys(json);
  const link: unknown = 'link' in json ? json.link : undefined;
  return keys.length === 1 && typeof link === 'string' ? link : null;
}
