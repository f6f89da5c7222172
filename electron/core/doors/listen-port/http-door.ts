import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallEvent } from '../../../../shared/model/call-event.ts';
import type { CommandError } from '../../../../shared/model/command-error.ts';
import {
  describeTelephonyRequest,
  formatSeasonOfficeError,
  parseTelephonyQuery,
  toCallEvent,
} from '../../../../shared/protocols/season-office.ts';
import { err, ok, type Result } from '../../../../shared/result.ts';
import { GuardedHttp } from '../../server/guarded-http.ts';
import { logRefusal } from '../../server/refusals.ts';
import { commandErrorStatus } from '../../server/http-status.ts';
import { bindAddress, type PortLimits } from '../../server/port-policy.ts';
import type { DoorLog } from '../door.ts';

/**
 * Season Office's "HTTP Message Alerting": a PBX or script sends
 * `GET /telephony?line=1&no=…&action=incoming&callerid=…` and the Comms Manager shows it.
 * The shared guards (server/guarded-http.ts) refuse what is not for us; this reads the
 * request, hands the CallEvent to the switchboard, and answers 200 or a 4xx whose
 * one-line body names what was wrong.
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
  readonly limits?: Partial<PortLimits>;
}

export class ListenPort {
  readonly #http: GuardedHttp;

  private constructor(http: GuardedHttp) {
    this.#http = http;
  }

  static async open(options: ListenPortOptions): Promise<Result<ListenPort, string>> {
    const { log, deliver } = options;
    const opened = await GuardedHttp.open({
      policy: {
        port: options.port,
        allowFrom: options.allowFrom,
        hostNames: options.hostNames,
        ...(options.limits ? { limits: options.limits } : {}),
      },
      // A PBX's page may link to the listen port: one click on it is a person's request.
      crossSite: 'clicked-navigation',
      handle: (request, response, from) => {
        handle(request, response, from, log, deliver);
      },
      onRefused: (refusal) => {
        logRefusal(log, refusal);
      },
    });
    return opened.ok ? ok(new ListenPort(opened.value)) : err(opened.error);
  }

  get port(): number {
    return this.#http.port;
  }

  /** As bound: '127.0.0.1', '::', or '0.0.0.0' where IPv6 is missing. */
  get address(): string {
    return this.#http.address;
  }

  /** Whether `policy` can apply to this socket in place, or needs a new ListenPort. */
  canTake(policy: ListenPortPolicy): boolean {
    return bindAddress(policy) === bindAddress(this.#http.policy);
  }

  /** Host names and allowed peers change in place (see `canTake`). */
  setPolicy(policy: ListenPortPolicy): void {
    this.#http.setPolicy({ ...this.#http.policy, ...policy });
  }

  close(): Promise<void> {
    return this.#http.close();
  }
}

function handle(
  request: IncomingMessage,
  response: ServerResponse,
  from: string,
  log: DoorLog,
  deliver: Delivery,
): void {
  const raw = `${request.method ?? ''} ${request.url ?? ''}`;
  const reply = (
    status: number,
    body: string,
    reading: string,
    error: string | null,
    outcome: string,
  ) => {
    log.add({ direction: 'in', session: null, from, raw, reading, error, outcome });
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
    delivered = deliver(toCallEvent(parsed.value));
  } catch (error) {
    const message = `internal error: ${error instanceof Error ? error.message : String(error)}`;
    reply(500, message, reading, message, 'nothing changed');
    return;
  }
  if (!delivered.ok) {
    const status = commandErrorStatus(delivered.error);
    reply(status, delivered.error.message, reading, delivered.error.message, 'nothing changed');
    return;
  }
  const outcome = delivered.value.changed
    ? delivered.value.summary
    : `no change: ${delivered.value.summary}`;
  reply(200, 'OK', reading, null, outcome);
}
