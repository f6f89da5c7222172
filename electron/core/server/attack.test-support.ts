import { spawn } from 'node:child_process';
import { connect as netConnect, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { PortPolicy } from './port-policy.ts';
import { WAIT_MS, within } from './server.test-support.ts';

/**
 * Raw loopback clients for the socket tests of electron/core/server/: well-behaved, stubborn,
 * half-open, slow and in bursts, and a guarded server in a child process. Every wait is
 * bounded: a hang fails the test instead of the run.
 */

export function upgradeRequest(port: number, token: string): string {
  return [
    `GET /bridge?token=${token} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    `Origin: http://127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    '',
    '',
  ].join('\r\n');
}

export function tcp(port: number, allowHalfOpen = false): Promise<Socket> {
  return within(
    new Promise<Socket>((resolve, reject) => {
      const socket = netConnect({ host: '127.0.0.1', port, allowHalfOpen }, () => {
        resolve(socket);
      });
      socket.on('error', reject);
    }),
    'a TCP connection',
  );
}

// Raw sockets, for requests node:http would not send as written and clients that misbehave.

export interface Exchange {
  readonly response: string;
  /** 0: no status line came back. */
  readonly status: number;
  readonly closedByServer: boolean;
  readonly elapsedMs: number;
}

export const statusOf = (response: string): number =>
  Number(/^HTTP\/1\.[01] (\d{3}) /.exec(response)?.[1] ?? 0);

/** What comes back on `socket` until the server closes it, or `timeoutMs` passes. */
function answerOn(socket: Socket, timeoutMs: number): Promise<Exchange> {
  const started = performance.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = (closedByServer: boolean) => {
      clearTimeout(timer);
      const response = Buffer.concat(chunks).toString('latin1');
      const elapsedMs = performance.now() - started;
      resolve({ response, status: statusOf(response), closedByServer, elapsedMs });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      done(false);
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A reset still ends in 'close'; what arrived before it counts.
    socket.on('error', () => undefined);
    if (socket.destroyed) done(true);
    else
      socket.once('close', () => {
        done(true);
      });
  });
}

/** Sends `text` and collects the answer until the server closes, or `timeoutMs` passes. */
export function exchange(port: number, text: string, timeoutMs = WAIT_MS): Promise<Exchange> {
  const socket = netConnect({ host: '127.0.0.1', port });
  const answer = answerOn(socket, timeoutMs);
  socket.write(text);
  return answer;
}

export function goodRequest(port: number, path = '/telephony?l=1&n=1&a=i'): string {
  return `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`;
}

/** Writes `text`, then neither reads nor closes its half: what a stuck or hostile client does. */
export async function stubborn(port: number, text: string): Promise<Socket> {
  const socket = await tcp(port, true);
  socket.on('error', () => undefined);
  socket.pause();
  socket.write(text);
  return socket;
}

/**
 * Sends `text` on a connection whose client keeps its own half open, and resolves what came
 * back once the server has closed its side for good. Writing on after the server's FIN
 * tells a closed server socket (reset) from a half-closed one that would go on holding a
 * connection.
 */
export async function answerWhileHalfOpen(port: number, text: string, ms = 2_000): Promise<string> {
  const socket = await tcp(port, true);
  socket.removeAllListeners('error');
  socket.on('error', () => undefined);
  let poke: NodeJS.Timeout | undefined;
  const gone = new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('end', () => {
      poke = setInterval(() => socket.write('still here\r\n'), 50);
    });
    socket.once('close', () => {
      clearInterval(poke);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
  socket.write(text);
  try {
    return await within(gone, 'the server closing its side', ms);
  } finally {
    clearInterval(poke);
    socket.destroy();
  }
}

/** Opens `count` connections first, then sends a request on each at once. */
export async function burst(port: number, count: number, timeoutMs = 10_000): Promise<Exchange[]> {
  const sockets = await Promise.all(Array.from({ length: count }, () => tcp(port)));
  const answers = sockets.map((socket) => answerOn(socket, timeoutMs));
  for (const socket of sockets) if (!socket.destroyed) socket.write(goodRequest(port));
  return Promise.all(answers);
}

export interface SlowlorisOptions {
  readonly connections: number;
  /** One byte of an endless header per this interval. */
  readonly dribbleMs: number;
  readonly durationMs: number;
  /** A well-behaved client sends one request per this interval meanwhile. */
  readonly goodEveryMs: number;
}

/**
 * `connections` clients that dribble a request that never ends and reconnect whenever the
 * server cuts them, while a good client sends a request every `goodEveryMs`.
 */
export async function underSlowloris(
  port: number,
  options: SlowlorisOptions,
): Promise<{ readonly good: Exchange[]; readonly cuts: number }> {
  const stopAt = Date.now() + options.durationMs;
  const endless = `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Pad: ${'a'.repeat(4_000)}`;
  const open = new Set<Socket>();
  let cuts = 0;
  const attack = () => {
    if (Date.now() >= stopAt) return;
    const socket = netConnect({ host: '127.0.0.1', port });
    open.add(socket);
    let sent = 0;
    const dribble = setInterval(() => {
      if (sent < endless.length) socket.write(endless.charAt(sent++));
    }, options.dribbleMs);
    socket.on('error', () => undefined);
    socket.once('close', () => {
      clearInterval(dribble);
      open.delete(socket);
      cuts++;
      setTimeout(attack, 5);
    });
  };
  for (let index = 0; index < options.connections; index++) attack();
  // The attackers hold the slots before the good client starts.
  await delay(options.dribbleMs);
  const answers: Promise<Exchange>[] = [];
  while (Date.now() < stopAt - options.goodEveryMs) {
    answers.push(exchange(port, goodRequest(port), 3_000));
    await delay(options.goodEveryMs);
  }
  const good = await Promise.all(answers);
  for (const socket of open) socket.destroy();
  return { good, cuts };
}

export interface Child {
  readonly port: number;
  stop(): Promise<void>;
}

/** guarded-http.fixture.ts in a process of its own, answering 200 behind `policy`. */
export async function serveInChild(policy: PortPolicy): Promise<Child> {
  const fixture = join(import.meta.dirname, 'guarded-http.fixture.ts');
  const child = spawn(process.execPath, [fixture, JSON.stringify(policy)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const port = await within(
    new Promise<number>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => {
        resolve((JSON.parse(chunk.toString('utf8')) as { port: number }).port);
      });
      child.once('exit', (code) => {
        reject(new Error(`the fixture exited with ${String(code)}`));
      });
    }),
    'the fixture listening',
  );
  return {
    port,
    async stop() {
      child.stdin.end();
      await within(exited, 'the fixture exiting').catch(() => {
        child.kill('SIGKILL');
      });
    },
  };
}
