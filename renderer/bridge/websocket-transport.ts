import type {
  BridgeClient,
  BridgeResult,
  EventName,
  EventPayload,
  InvokeName,
  InvokeRequest,
  InvokeResponse,
} from '../../shared/bridge/contract.ts';
import type { WireRequest } from '../../shared/bridge/wire.ts';
import { DISCONNECTED, type BridgeTransport, type TransportHandlers } from './transport.ts';
import { parseWireMessage } from './wire-parse.ts';

/**
 * The browser target's link: the bridge contract as JSON over one WebSocket to the core's
 * local server. The core may restart at any time (an update, a crash, `callbridge serve`
 * run again), so a dropped socket is retried with backoff for as long as the page is open.
 */

const INVOKE_TIMEOUT_MS = 15_000;
const BACKOFF_MS = [250, 500, 1000, 2000, 4000] as const;
const BACKOFF_MAX_MS = 5000;

type Reply = (result: BridgeResult<unknown>) => void;
type Listener = (payload: unknown) => void;

function backoffDelay(attempt: number): number {
  const base = BACKOFF_MS[attempt] ?? BACKOFF_MAX_MS;
  // Jitter keeps several open windows from hammering a restarting core in step.
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export function bridgeUrl(location: Location, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/bridge?token=${encodeURIComponent(token)}`;
}

class WebSocketBridge implements BridgeClient {
  readonly #url: string;
  #socket: WebSocket | null = null;
  #nextId = 1;
  readonly #pending = new Map<number, Reply>();
  readonly #listeners = new Map<EventName, Set<Listener>>();
  #handlers: TransportHandlers | null = null;
  #attempt = 0;

  constructor(url: string) {
    this.#url = url;
  }

  start(handlers: TransportHandlers): void {
    this.#handlers = handlers;
    this.#connect();
  }

  invoke<K extends InvokeName>(
    name: K,
    request: InvokeRequest<K>,
  ): Promise<BridgeResult<InvokeResponse<K>>> {
    const socket = this.#socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      return Promise.resolve({ ok: false, error: DISCONNECTED });
    }
    const id = this.#nextId++;
    const message: WireRequest = { id, name, request };
    return new Promise((resolve) => {
      const timer = window.setTimeout(() => {
        this.#pending.delete(id);
        resolve({
          ok: false,
          error: { code: 'timeout', message: 'The Callbridge core did not answer in time.' },
        });
      }, INVOKE_TIMEOUT_MS);
      this.#pending.set(id, (result) => {
        window.clearTimeout(timer);
        // The core answers each channel with that channel's response type (the contract).
        resolve(result as BridgeResult<InvokeResponse<K>>);
      });
      socket.send(JSON.stringify(message));
    });
  }

  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void {
    const listeners = this.#listeners.get(name) ?? new Set<Listener>();
    this.#listeners.set(name, listeners);
    // Payloads are routed by name, so each listener only ever sees its own channel's type.
    const untyped = listener as Listener;
    listeners.add(untyped);
    return () => {
      listeners.delete(untyped);
    };
  }

  #connect(): void {
    const socket = new WebSocket(this.#url);
    this.#socket = socket;
    socket.addEventListener('open', () => {
      this.#attempt = 0;
      this.#handlers?.onOpen();
    });
    socket.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (typeof event.data === 'string') this.#receive(event.data);
    });
    // 'error' is always followed by 'close', which does the work.
    socket.addEventListener('close', () => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      this.#failPending();
      this.#handlers?.onDown(this.#attempt);
      const delay = backoffDelay(this.#attempt);
      this.#attempt += 1;
      window.setTimeout(() => {
        this.#connect();
      }, delay);
    });
  }

  #receive(text: string): void {
    const message = parseWireMessage(text);
    if (!message) return;
    if (message.type === 'reply') {
      const reply = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      reply?.(message.result);
      return;
    }
    for (const listener of this.#listeners.get(message.name) ?? []) listener(message.payload);
  }

  #failPending(): void {
    const replies = [...this.#pending.values()];
    this.#pending.clear();
    for (const reply of replies) reply({ ok: false, error: DISCONNECTED });
  }
}

export function websocketTransport(url: string): BridgeTransport {
  const bridge = new WebSocketBridge(url);
  return {
    kind: 'websocket',
    client: bridge,
    start(handlers) {
      bridge.start(handlers);
    },
  };
}
