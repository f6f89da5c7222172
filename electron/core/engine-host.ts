import type { BridgeResult } from '../../shared/bridge/contract.ts';
import type {
  EngineReply,
  EngineReport,
  EngineRequest,
  EngineRole,
} from '../../shared/bridge/engine.ts';
import type { CommandError } from '../../shared/model/command-error.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import type { InvokeHandlers, Page } from './bridge-host.ts';
import { Signal } from './signal.ts';

/** How long the hosting page has to answer one request; registering is reported, not awaited. */
export const ENGINE_REQUEST_TIMEOUT_MS = 10_000;
/** Requests awaiting the hosting page; a page that never answers cannot grow the map past this. */
export const ENGINE_MAX_OUTSTANDING = 64;

export const ENGINE_MESSAGES = {
  noPage: 'only a connected Comms Manager page can host the SIP engine',
  noHost: 'the SIP engine needs the Comms Manager open',
  hostGone: 'the page hosting the SIP engine went away',
  notHost: 'only the page hosting the SIP engine may answer or report to the core',
} as const;

type EngineHandlers = Pick<InvokeHandlers, 'engineOffer' | 'engineReply' | 'engineReport'>;

interface Pending {
  readonly page: Page;
  readonly timer: NodeJS.Timeout;
  readonly settle: (result: Result<null, CommandError>) => void;
}

/**
 * Which connected page hosts the SIP engine, and the request/reply link to it. Pages that
 * can run the engine offer to; the first to offer hosts, and when it detaches the next in
 * offer order takes over. A page learns it hosts from the `engineRole` event, sent before
 * anything is asked of it, and from the answer to its offer. Nothing here knows what the
 * requests mean: that is the SIP backend's business.
 */
export class EngineHost {
  /**
   * Fires whenever the host changes: `hosting: true` means a page (maybe another one) hosts
   * now and has no account yet, so the backend sends it `start`; false means none does.
   */
  readonly changed = new Signal<{ readonly hosting: boolean }>();
  /** What the hosting page's engine saw; reports from any other page are refused. */
  readonly reports = new Signal<EngineReport>();
  /** Pages that offered, in offer order; the first hosts. */
  readonly #offered: { readonly page: Page; readonly off: () => void }[] = [];
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #closed = false;

  /** The bridge's engine channels; `page` is null for callers that are not a page. */
  readonly handlers: EngineHandlers = {
    engineOffer: (_request: null, page) => Promise.resolve(this.#offer(page)),
    engineReply: (reply: EngineReply, page) => Promise.resolve(this.#reply(reply, page)),
    engineReport: (report: EngineReport, page) => Promise.resolve(this.#report(report, page)),
  };

  get hasHost(): boolean {
    return this.#offered.length > 0;
  }

  /** Requests awaiting the hosting page's reply now. */
  get outstanding(): number {
    return this.#pending.size;
  }

  /** Sends `request` to the hosting page and resolves with its reply, or why there is none. */
  request(
    request: EngineRequest,
    timeoutMs = ENGINE_REQUEST_TIMEOUT_MS,
  ): Promise<Result<null, CommandError>> {
    const host = this.#host();
    if (this.#closed || !host) {
      return Promise.resolve(err({ code: 'backend-unavailable', message: ENGINE_MESSAGES.noHost }));
    }
    if (this.#pending.size >= ENGINE_MAX_OUTSTANDING) {
      const message = `the page hosting the SIP engine has ${ENGINE_MAX_OUTSTANDING} requests awaiting an answer`;
      return Promise.resolve(err({ code: 'backend-unavailable', message }));
    }
    const id = this.#nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        const seconds = timeoutMs / 1000;
        resolve(
          err({ code: 'timed-out', message: `the SIP engine did not answer within ${seconds} s` }),
        );
      }, timeoutMs);
      this.#pending.set(id, { page: host, timer, settle: resolve });
      host.send('engine', { id, request });
    });
  }

  /** Answers whatever is pending; later requests find no host. */
  close(): void {
    this.#closed = true;
    this.#failPending(null, 'the core is closing');
    for (const { off } of this.#offered.splice(0)) off();
  }

  #host(): Page | null {
    return this.#offered[0]?.page ?? null;
  }

  #offer(page: Page | null): BridgeResult<EngineRole> {
    if (!page) return err({ code: 'refused', message: ENGINE_MESSAGES.noPage });
    if (this.#closed) return err({ code: 'refused', message: 'the core is closing' });
    if (!this.#offered.some((entry) => entry.page === page)) {
      const off = page.onDetach(() => {
        this.#withdraw(page);
      });
      this.#offered.push({ page, off });
      if (this.#offered.length === 1) this.#promote(page);
    }
    return ok({ hosting: this.#host() === page });
  }

  #reply(reply: EngineReply, page: Page | null): BridgeResult<null> {
    if (!page) return err({ code: 'refused', message: ENGINE_MESSAGES.noPage });
    const pending = this.#pending.get(reply.id);
    if (!pending || pending.page !== page) {
      const message =
        this.#host() === page
          ? `no request ${reply.id} is awaiting an answer; it may have timed out`
          : ENGINE_MESSAGES.notHost;
      return err({ code: 'refused', message });
    }
    this.#pending.delete(reply.id);
    clearTimeout(pending.timer);
    pending.settle(reply.result.ok ? ok(null) : err(commandError(reply.result.error)));
    return ok(null);
  }

  #report(report: EngineReport, page: Page | null): BridgeResult<null> {
    if (!page) return err({ code: 'refused', message: ENGINE_MESSAGES.noPage });
    if (this.#host() !== page) return err({ code: 'refused', message: ENGINE_MESSAGES.notHost });
    this.reports.emit(report);
    return ok(null);
  }

  #withdraw(page: Page): void {
    const index = this.#offered.findIndex((entry) => entry.page === page);
    if (index < 0) return;
    this.#offered.splice(index, 1);
    if (index !== 0) return;
    this.#failPending(page, ENGINE_MESSAGES.hostGone);
    const next = this.#host();
    if (next) this.#promote(next);
    else this.changed.emit({ hosting: false });
  }

  /** The page hears it hosts before the backend, told next, can ask anything of it. */
  #promote(page: Page): void {
    page.send('engineRole', { hosting: true });
    this.changed.emit({ hosting: true });
  }

  /** Requests sent to `page` (every one, for null) are answered backend-unavailable. */
  #failPending(page: Page | null, message: string): void {
    for (const [id, pending] of this.#pending) {
      if (page && pending.page !== page) continue;
      this.#pending.delete(id);
      clearTimeout(pending.timer);
      pending.settle(err({ code: 'backend-unavailable', message }));
    }
  }
}

/**
 * The page's error codes as the core's. Codes that need no more than a message pass
 * through; codes the core would need more for (a line number), and any other code, mean
 * the engine failed rather than the far end saying no: `backend-unavailable`, with the
 * page's code kept in the message.
 */
export function commandError(
  error: Extract<EngineReply['result'], { ok: false }>['error'],
): CommandError {
  const { code, message } = error;
  switch (code) {
    case 'not-capable':
    case 'backend-unavailable':
    case 'timed-out':
      return { code, message };
    case 'refused-by-far-end':
      return error.status === undefined
        ? { code, message }
        : { code, message, status: error.status };
    default:
      return {
        code: 'backend-unavailable',
        message: `the SIP engine failed (${code}): ${message}`,
      };
  }
}
