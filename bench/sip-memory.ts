import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { startCore, type RunningCore } from '../e2e/support/serve.ts';

/**
 * Memory of the two processes a SIP call passes through: the page hosting the engine and
 * the core. Both are read after a forced full garbage collection, through the DevTools
 * protocol each already speaks, so that what is left is what the calls keep alive:
 *
 * - the page: CDP `HeapProfiler.collectGarbage`, then `Runtime.getHeapUsage` (V8's heap,
 *   and Blink's own garbage-collected heap, where DOM nodes live);
 * - the core: the same two methods over Node's inspector, which the core is started with
 *   (`--inspect=127.0.0.1:0`, a free loopback port; nothing attaches between readings),
 *   then VmRSS from /proc, which a collection does not necessarily give back to the OS.
 */

export interface PageMemory {
  /** V8 heap in use, bytes. */
  readonly jsHeap: number;
  /** Blink's garbage-collected heap in use (DOM and other C++ objects), bytes. */
  readonly domHeap: number;
}

export interface CoreMemory {
  readonly jsHeap: number;
  /** Resident set size, bytes. */
  readonly rss: number;
}

export async function pageMemory(page: Page): Promise<PageMemory> {
  const cdp = await page.context().newCDPSession(page);
  try {
    // Twice: the first collection runs finalizers that free more for the second.
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const usage = await cdp.send('Runtime.getHeapUsage');
    return { jsHeap: usage.usedSize, domHeap: usage.embedderHeapUsedSize };
  } finally {
    await cdp.detach();
  }
}

/**
 * `callbridge serve` as startCore starts it, with Node's inspector on a free loopback
 * port. startCore spawns before its first await and passes this process's environment
 * on, so NODE_OPTIONS set around the call reaches that one child only.
 */
export async function startInspectableCore(profileDir: string): Promise<RunningCore> {
  const before = process.env['NODE_OPTIONS'];
  process.env['NODE_OPTIONS'] = [before, '--inspect=127.0.0.1:0'].filter(Boolean).join(' ');
  try {
    return await startCore(profileDir);
  } finally {
    if (before === undefined) delete process.env['NODE_OPTIONS'];
    else process.env['NODE_OPTIONS'] = before;
  }
}

export async function coreMemory(core: RunningCore): Promise<CoreMemory> {
  const url = /Debugger listening on (ws:\/\/\S+)/.exec(core.stderr())?.[1];
  if (url === undefined) throw new Error(`the core has no inspector: ${core.stderr()}`);
  const inspector = await connect(url);
  try {
    await inspector.send('HeapProfiler.collectGarbage');
    await inspector.send('HeapProfiler.collectGarbage');
    const usage = await inspector.send('Runtime.getHeapUsage');
    const jsHeap = typeof usage['usedSize'] === 'number' ? usage['usedSize'] : NaN;
    return { jsHeap, rss: rssOf(core.pid) };
  } finally {
    inspector.close();
  }
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kb) * 1024;
}

interface Inspector {
  send(method: string): Promise<Record<string, unknown>>;
  close(): void;
}

/** A DevTools-protocol session over the inspector's WebSocket; each call bounded to 10 s. */
async function connect(url: string): Promise<Inspector> {
  // A handshake that times out is an 'error', which once() turns into a rejection.
  const socket = new WebSocket(url, { handshakeTimeout: 10_000 });
  await once(socket, 'open');
  const pending = new Map<number, (reply: { result?: Record<string, unknown> }) => void>();
  socket.on('message', (data: Buffer) => {
    const reply = JSON.parse(data.toString()) as { id?: number; result?: Record<string, unknown> };
    if (reply.id !== undefined) pending.get(reply.id)?.(reply);
  });
  let nextId = 1;
  return {
    send: (method) =>
      new Promise((done, fail) => {
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          fail(new Error(`the core's inspector did not answer ${method} within 10 s`));
        }, 10_000);
        pending.set(id, (reply) => {
          clearTimeout(timer);
          pending.delete(id);
          done(reply.result ?? {});
        });
        socket.send(JSON.stringify({ id, method }));
      }),
    close: () => {
      socket.close();
    },
  };
}
