import { createSocket, type Socket } from 'node:dgram';

/**
 * What rtpengine says of the DTMF it sees in the media it relays (`--dtmf-log-dest`, the
 * rig's `dtmfLogPort`): one JSON object per UDP datagram and per key press, sent when the
 * RFC 4733 event ends, e.g. `{"callid":"…","type":"DTMF","event":11,"duration":100,…}`.
 * A test that reads these knows the tones travelled as telephone-events in the RTP, not
 * as SIP INFO (which never reaches rtpengine) and not as in-band audio.
 */

export interface DtmfEvent {
  readonly callId: string;
  /** The key: 0-9, `*`, `#`, A-D (RFC 4733 events 0-15). */
  readonly digit: string;
  /** In ms. */
  readonly duration: number;
}

const KEYS = '0123456789*#ABCD';

/** One datagram as rtpengine writes it, or undefined for anything else. */
export function parseDtmfEvent(text: string): DtmfEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { type, event, callid, duration } = value as Record<string, unknown>;
  if (type !== 'DTMF' || typeof event !== 'number' || typeof callid !== 'string') return undefined;
  const digit = KEYS[event];
  if (digit === undefined) return undefined;
  return { callId: callid, digit, duration: typeof duration === 'number' ? duration : 0 };
}

interface Waiter {
  readonly count: number;
  readonly resolve: () => void;
}

export class DtmfLog {
  readonly #socket: Socket;
  readonly #events: DtmfEvent[] = [];
  readonly #waiters = new Set<Waiter>();
  readonly port: number;

  private constructor(socket: Socket, port: number) {
    this.#socket = socket;
    this.port = port;
    socket.on('message', (data: Buffer) => {
      const event = parseDtmfEvent(data.toString());
      if (event === undefined) return;
      this.#events.push(event);
      for (const waiter of this.#waiters) {
        if (this.#events.length >= waiter.count) {
          this.#waiters.delete(waiter);
          waiter.resolve();
        }
      }
    });
  }

  /** A socket on a free UDP port of 127.0.0.1, for `startRig({ dtmfLogPort })`. */
  static open(): Promise<DtmfLog> {
    const socket = createSocket('udp4');
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => {
        resolve(new DtmfLog(socket, socket.address().port));
      });
    });
  }

  /** How many events so far: `events(mark)` gives the later ones. */
  mark(): number {
    return this.#events.length;
  }

  events(from = 0): readonly DtmfEvent[] {
    return this.#events.slice(from);
  }

  /** Resolves with the events from `from` on once there are `count` of them. */
  async next(count: number, from: number, timeoutMs = 10_000): Promise<readonly DtmfEvent[]> {
    const wanted = from + count;
    if (this.#events.length < wanted) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve, reject) => {
        const waiter: Waiter = { count: wanted, resolve };
        this.#waiters.add(waiter);
        timer = setTimeout(() => {
          this.#waiters.delete(waiter);
          reject(
            new Error(
              `rtpengine reported ${this.#events.length - from} of ${count} DTMF events in ${timeoutMs} ms: ${JSON.stringify(this.events(from))}`,
            ),
          );
        }, timeoutMs);
      }).finally(() => {
        clearTimeout(timer);
      });
    }
    return this.#events.slice(from, wanted);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#socket.close(() => resolve());
    });
  }
}
