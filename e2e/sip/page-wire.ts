import type { Page, WebSocket as PageSocket } from 'playwright-core';
import { parseSip, type SipMessage } from './sip-message.ts';

/**
 * What a page says on its WebSockets, as Chromium's DevTools see it: the SIP the JsSIP
 * engine exchanges with the rig, and the engine's reports to the core over the bridge.
 * Tests wait on these frames (the ACK the page sent for a re-INVITE's 200, the reason a
 * call ended) instead of sleeping. Watch before the page navigates, or frames are missed.
 */

export interface Frame<T> {
  readonly direction: 'sent' | 'received';
  readonly value: T;
}

interface Waiter<T> {
  readonly accepts: (frame: Frame<T>) => boolean;
  readonly resolve: (frame: Frame<T>) => void;
  from: number;
}

/** Every frame of the sockets one page opened to URLs that `matches`, parsed, in order. */
export class FrameLog<T> {
  readonly #frames: Frame<T>[] = [];
  readonly #waiters = new Set<Waiter<T>>();
  readonly #parse: (text: string) => T | undefined;

  constructor(
    page: Page,
    matches: (url: string) => boolean,
    parse: (text: string) => T | undefined,
  ) {
    this.#parse = parse;
    page.on('websocket', (socket: PageSocket) => {
      if (!matches(socket.url())) return;
      socket.on('framesent', ({ payload }) => {
        this.#add('sent', payload);
      });
      socket.on('framereceived', ({ payload }) => {
        this.#add('received', payload);
      });
    });
  }

  /** How many frames so far: `next(…, { after: log.mark() })` waits for a later one. */
  mark(): number {
    return this.#frames.length;
  }

  frames(): readonly Frame<T>[] {
    return [...this.#frames];
  }

  /** The first frame from index `after` on, already logged or still to come, that `accepts`. */
  next(
    accepts: (frame: Frame<T>) => boolean,
    what: string,
    { after = 0, timeoutMs = 10_000 }: { after?: number; timeoutMs?: number } = {},
  ): Promise<Frame<T>> {
    const found = this.#frames.slice(after).find(accepts);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter: Waiter<T> = {
        accepts,
        from: this.#frames.length,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  #add(direction: Frame<T>['direction'], payload: string | Buffer): void {
    const value = this.#parse(typeof payload === 'string' ? payload : payload.toString());
    if (value === undefined) return;
    const frame = { direction, value };
    this.#frames.push(frame);
    for (const waiter of this.#waiters) {
      if (waiter.accepts(frame)) {
        this.#waiters.delete(waiter);
        waiter.resolve(frame);
      }
    }
  }
}

/** The page's SIP over WebSocket to `wsUrl` (JsSIP's socket to the rig). */
export function watchSip(page: Page, wsUrl: string): FrameLog<SipMessage> {
  // JsSIP's keep-alive CRLFs are frames too; they are no SIP message.
  return new FrameLog(
    page,
    (url) => url === wsUrl,
    (text) => (text.trim() === '' ? undefined : parseSip(text)),
  );
}

/** A request the page sent over the bridge: `{ name: 'engineReport', request: {...} }`. */
export interface BridgeRequest {
  readonly name: string;
  readonly request: unknown;
}

/** The requests the page sent to the core over its bridge socket (`/bridge?token=…`). */
export function watchBridge(page: Page): FrameLog<BridgeRequest> {
  return new FrameLog(
    page,
    (url) => new URL(url).pathname === '/bridge',
    (text) => {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return undefined;
      }
      if (typeof value !== 'object' || value === null || !('name' in value)) return undefined;
      const { name } = value;
      if (typeof name !== 'string') return undefined;
      return { name, request: 'request' in value ? value.request : undefined };
    },
  );
}

/** A SIP request of `method` (`INVITE`), or a response to one (CSeq `… INVITE`). */
export const isRequest = (method: string) => (frame: Frame<SipMessage>) =>
  frame.value.method === method;

export const isResponseTo = (method: string, status?: number) => (frame: Frame<SipMessage>) =>
  frame.value.status !== undefined &&
  (status === undefined || frame.value.status === status) &&
  (frame.value.header('cseq') ?? '').endsWith(` ${method}`);
