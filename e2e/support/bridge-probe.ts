import { WebSocket } from 'ws';
import type {
  CoreSnapshot,
  InvokeName,
  InvokeResponse,
  BridgeResult,
} from '../../shared/bridge/contract.ts';
import type { WireMessage } from '../../shared/bridge/wire.ts';
import type { RunningCore } from './serve.ts';

/**
 * Talks to a running core over the same WebSocket bridge the Comms Manager page uses, so
 * tests can read the line table without scraping the page.
 */
export class BridgeProbe {
  readonly #socket: WebSocket;
  readonly #pending = new Map<number, (result: BridgeResult<unknown>) => void>();
  #nextId = 1;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as WireMessage;
      if (message.type === 'reply') this.#pending.get(message.id)?.(message.result);
    });
  }

  static async connect(core: Pick<RunningCore, 'uiPort' | 'token'>): Promise<BridgeProbe> {
    const socket = new WebSocket(`ws://127.0.0.1:${core.uiPort}/bridge?token=${core.token}`, {
      origin: `http://127.0.0.1:${core.uiPort}`,
    });
    await new Promise<void>((open, fail) => {
      socket.once('open', () => open());
      socket.once('error', fail);
    });
    return new BridgeProbe(socket);
  }

  invoke<K extends InvokeName>(
    name: K,
    request: unknown,
  ): Promise<BridgeResult<InvokeResponse<K>>> {
    const id = this.#nextId++;
    return new Promise((done) => {
      this.#pending.set(id, done as (result: BridgeResult<unknown>) => void);
      this.#socket.send(JSON.stringify({ id, name, request }));
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
