import { WebSocket } from 'ws';
import type {
  CoreSnapshot,
  EventName,
  EventPayload,
  InvokeName,
  InvokeResponse,
  BridgeResult,
} from '../../shared/bridge/contract.ts';
import type { WireMessage } from '../../shared/bridge/wire.ts';
import type { RunningCore } from './serve.ts';

/**
 * Talks to a running core over the same WebSocket bridge the Comms Manager page uses, so
 * tests can read the line table without scraping the page. To the core it is one more
 * page: it may offer to host the SIP engine and then gets that page's events too.
 */
export class BridgeProbe {
  readonly #socket: WebSocket;
  readonly #pending = new Map<number, (result: BridgeResult<unknown>) => void>();
  readonly #listeners = new Map<string, Set<(payload: unknown) => void>>();
  #nextId = 1;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on('message', (data: Buffer) => {
      // A listener that threw would take the test process down with an unrelated stack.
      let message: WireMessage;
      try {
        message = JSON.parse(data.toString()) as WireMessage;
      } catch {
        return;
      }
      if (message.type === 'reply') this.#pending.get(message.id)?.(message.result);
      else
        for (const listener of this.#listeners.get(message.name) ?? []) listener(message.payload);
    });
  }

  static async connect(core: Pick<RunningCore, 'uiPort' | 'token'>): Promise<BridgeProbe> {
    const socket = new WebSocket(`ws://127.0.0.1:${core.uiPort}/bridge?token=${core.token}`, {
      origin: `http://127.0.0.1:${core.uiPort}`,
    });
    await new Promise<void>((open, fail) => {
      const timer = setTimeout(() => {
        socket.terminate();
        fail(new Error('the bridge did not open within 10 s'));
      }, 10_000);
      socket.once('open', () => {
        clearTimeout(timer);
        open();
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        fail(error);
      });
    });
    return new BridgeProbe(socket);
  }

  /** Rejects after `timeoutMs` rather than hang a test on a core that never answers. */
  invoke<K extends InvokeName>(
    name: K,
    request: unknown,
    timeoutMs = 10_000,
  ): Promise<BridgeResult<InvokeResponse<K>>> {
    const id = this.#nextId++;
    return new Promise((done, fail) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        fail(new Error(`no answer to ${name} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, (result) => {
        clearTimeout(timer);
        this.#pending.delete(id);
        done(result as BridgeResult<InvokeResponse<K>>);
      });
      this.#socket.send(JSON.stringify({ id, name, request }));
    });
  }

  /** Broadcast events and, once this probe has offered, the engine's page events. */
  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void {
    const listeners = this.#listeners.get(name) ?? new Set();
    this.#listeners.set(name, listeners);
    // Routed by name: a listener only sees its own event's payloads.
    const untyped = listener as (payload: unknown) => void;
    listeners.add(untyped);
    return () => {
      listeners.delete(untyped);
    };
  }

  /** The next `name` event, or a rejection after `timeoutMs`. */
  next<K extends EventName>(name: K, timeoutMs = 10_000): Promise<EventPayload<K>> {
    return new Promise((done, fail) => {
      const timer = setTimeout(() => {
        off();
        fail(new Error(`no ${name} event within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.on(name, (payload) => {
        clearTimeout(timer);
        off();
        done(payload);
      });
    });
  }

  async snapshot(): Promise<CoreSnapshot> {
    const result = await this.invoke('snapshot', null);
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  }

  close(): void {
    this.#socket.close();
  }
}
