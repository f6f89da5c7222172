import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { registerWithSipp, type SipRig } from '../e2e/sip/rig.ts';
import { startSipp, type SippOptions } from '../e2e/sip/sipp.ts';
import type { BridgeProbe } from '../e2e/support/bridge-probe.ts';
import { coreMemory, pageMemory, type CoreMemory, type PageMemory } from './sip-memory.ts';
import type { BenchPage } from './sip-page.ts';
import { startWsRinger } from './sip-ws-ringer.ts';
import { PageSipTimes } from './sip-wire.ts';

/**
 * INVITE → 180 Ringing, one call at a time, with three callees on the same Kamailio,
 * interleaved call by call and in rotating order, so that none always follows another:
 *
 * - Callbridge: the core and the Comms Manager page, its JsSIP engine on a WebSocket;
 * - sipp's own UAS over UDP (bench-uas-ring.xml), the baseline of the target: a fresh
 *   sipp per call on the port its user registered once, since sipp ends after its call
 *   and must be listening before the INVITE;
 * - a bare WebSocket user agent in this process (bench/sip-ws-ringer.ts): the same
 *   WebSocket and rtpengine path as Callbridge with nothing behind it, which tells the
 *   path's cost from Callbridge's own.
 *
 * Each call is one sipp UAC run of e2e/sip/scenarios/bench-uac-ring.xml (INVITE, 407,
 * ACK, INVITE with credentials, 180, CANCEL after RING_MS, 487, ACK). The figure is read from
 * that sipp's own message trace: sipp stamps every message with gettimeofday() in µs, right
 * after its sendto() returns and as it takes each datagram in. From the INVITE that
 * carries credentials (the one Kamailio forwards to the callee; the first only earns the
 * 407) to the first 180. Timing from Node would add two process hops and Node's event loop
 * to a figure of about a millisecond for the baseline.
 *
 * Before every next call the Callbridge line must be free again in the core's line table
 * and the page must have shown it idle and painted, as between real calls.
 */

/** How long each call rings before the caller cancels it. */
const RING_MS = 20;
const CALL_TIMEOUT_MS = 10_000;

export interface CallFigures {
  /** INVITE → 180 in ms, per callee, in call order. */
  readonly callbridge: readonly number[];
  /** sipp's own UAS over UDP: the figure the target is set against. */
  readonly sipp: readonly number[];
  /** A bare WebSocket user agent on the WebSocket path (bench/sip-ws-ringer.ts). */
  readonly websocket: readonly number[];
  /** Of Callbridge's, the page's share: INVITE frame in to 180 frame out (bench/sip-wire.ts). */
  readonly inPage: readonly number[];
  /** Memory after each of `memoryAt` calls to Callbridge that was reached, and after the last. */
  readonly memory: readonly {
    readonly calls: number;
    readonly page: PageMemory;
    readonly core: CoreMemory;
  }[];
  readonly seconds: number;
}

export async function benchCalls(
  rig: SipRig,
  phone: BenchPage & { readonly user: string },
  options: {
    readonly calls: number;
    readonly memoryAt: readonly number[];
    readonly deadlineMs: number;
    /** The user sipp's UAS registers as, and the bare WebSocket agent's. */
    readonly sippUser: string;
    readonly websocketUser: string;
    readonly callerUser: string;
  },
): Promise<CallFigures> {
  const started = performance.now();
  const caller = { user: options.callerUser, password: rig.password(options.callerUser) };
  // Registered once each, well within the registrar's limit of an hour.
  const sippPort = (await registerWithSipp(rig, options.sippUser, { expires: 3_000 })).localPort;
  const ringer = await startWsRinger(rig, options.websocketUser);
  const wire = await PageSipTimes.attach(phone.page);
  const figures = {
    callbridge: [] as number[],
    sipp: [] as number[],
    websocket: [] as number[],
    inPage: [] as number[],
  };
  const memory: CallFigures['memory'][number][] = [];

  const callCallbridge = async () => {
    const call = await timedCall(rig, phone.user, caller);
    figures.callbridge.push(call.ms);
    await lineFree(phone.probe, phone.page);
    const share = wire.take(call.callId);
    if (share !== undefined) figures.inPage.push(share);
  };
  const callSipp = async () => {
    const uasDir = mkdtempSync(join(rig.dir, 'bench-uas-'));
    try {
      const uas = await startSipp(
        { domain: rig.domain, udpPort: rig.udpPort, dir: uasDir },
        {
          scenario: 'bench-uas-ring',
          service: options.sippUser,
          localPort: sippPort,
          timeoutMs: CALL_TIMEOUT_MS,
        },
      );
      await uas.bound;
      // A failed call leaves the UAS waiting for a CANCEL: it must not outlive the call.
      const call = await timedCall(rig, options.sippUser, caller).catch(async (error: unknown) => {
        await uas.kill();
        throw error;
      });
      const ended = await uas.done;
      if (ended.exitCode !== 0) throw new Error(`the sipp UAS failed: ${ended.errors}`);
      figures.sipp.push(call.ms);
    } finally {
      rmSync(uasDir, { recursive: true, force: true });
    }
  };
  const callWebsocket = async () => {
    const ringing = ringer.ring(CALL_TIMEOUT_MS);
    // Should the call fail first, the ringer's own timeout must not surface unhandled.
    ringing.catch(() => undefined);
    const call = await timedCall(rig, options.websocketUser, caller);
    await ringing;
    figures.websocket.push(call.ms);
  };
  const callees = [callCallbridge, callSipp, callWebsocket];

  const measure = async (calls: number) => {
    memory.push({ calls, page: await pageMemory(phone.page), core: await coreMemory(phone.core) });
  };
  let calls = 0;
  try {
    while (calls < options.calls && performance.now() - started < options.deadlineMs) {
      // Each callee goes first, second and third in turn.
      for (let turn = 0; turn < callees.length; turn++) {
        await callees[(calls + turn) % callees.length]?.();
      }
      calls++;
      if (options.memoryAt.includes(calls)) await measure(calls);
    }
    if (memory.at(-1)?.calls !== calls) await measure(calls);
  } finally {
    await wire.detach();
    await ringer.close();
  }
  return { ...figures, memory, seconds: (performance.now() - started) / 1000 };
}

interface TimedCall {
  /** INVITE → 180. */
  readonly ms: number;
  readonly callId: string;
}

/** One sipp call to `callee` that rings, then is cancelled. */
async function timedCall(
  rig: SipRig,
  callee: string,
  caller: { readonly user: string; readonly password: string },
): Promise<TimedCall> {
  const dir = mkdtempSync(join(rig.dir, 'bench-uac-'));
  try {
    const options: SippOptions = {
      scenario: 'bench-uac-ring',
      service: callee,
      auth: caller,
      keys: { caller: caller.user },
      pauseMs: RING_MS,
      timeoutMs: CALL_TIMEOUT_MS,
    };
    const uac = await startSipp({ domain: rig.domain, udpPort: rig.udpPort, dir }, options);
    const result = await uac.done;
    if (result.exitCode !== 0) {
      throw new Error(
        `the call to ${callee} failed: ${result.errors}\n${result.output.slice(-2000)}`,
      );
    }
    const trace = readdirSync(dir).find((name) => name.endsWith('.messages.log'));
    if (trace === undefined) throw new Error(`sipp left no message trace in ${dir}`);
    return inviteToRinging(readFileSync(join(dir, trace), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `----------------------------------------------- 2026-12-01 13:33:58.144508` then `UDP message sent (830 bytes):`, a blank line and the start line. */
const TRACED =
  /^-{20,} (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)\.(\d{6})\r?\n\w+ message (sent|received)[^\n]*\n\r?\n([^\r\n]*)\r?\n((?:[^\r\n]+\r?\n)*)/gm;

/**
 * From sipp's -trace_msg file: ms from the first INVITE sent with credentials to the
 * first 180 received. sipp writes local time; both ends of the difference are read alike.
 */
export function inviteToRinging(trace: string): TimedCall {
  let invite: { readonly at: number; readonly callId: string } | undefined;
  for (const match of trace.matchAll(TRACED)) {
    const part = (index: number) => match[index] ?? '';
    const at = Date.parse(`${part(1)}T${part(2)}Z`) + Number(part(3)) / 1000;
    const [direction, startLine, headers] = [part(4), part(5), part(6)];
    if (
      invite === undefined &&
      direction === 'sent' &&
      startLine.startsWith('INVITE ') &&
      /^Proxy-Authorization:/im.test(headers)
    ) {
      invite = { at, callId: /^Call-ID:\s*(\S+)/im.exec(headers)?.[1] ?? '' };
    }
    if (invite !== undefined && direction === 'received' && startLine.startsWith('SIP/2.0 180 ')) {
      return { ms: at - invite.at, callId: invite.callId };
    }
  }
  throw new Error(
    `no authenticated INVITE followed by a 180 in the trace:\n${trace.slice(0, 4000)}`,
  );
}

/**
 * The line is free again: the core's line table has no call, and the page shows line 1
 * idle and has painted it. Waits on the core's `lines` events, bounded to 10 s.
 */
async function lineFree(probe: BridgeProbe, page: Page): Promise<void> {
  const idle = new Promise<void>((free, fail) => {
    const timer = setTimeout(() => {
      off();
      fail(new Error('the line was not free within 10 s of the call ending'));
    }, 10_000);
    const off = probe.on('lines', (view) => {
      if (view.table.lines.every((line) => line.call === null)) {
        clearTimeout(timer);
        off();
        free();
      }
    });
    void probe.snapshot().then((snapshot) => {
      if (snapshot.table.lines.every((line) => line.call === null)) {
        clearTimeout(timer);
        off();
        free();
      }
    }, fail);
  });
  await idle;
  await page.locator('[data-line="1"][data-state="idle"]').waitFor({ timeout: 10_000 });
  await page.evaluate(
    () =>
      new Promise<void>((painted) => {
        requestAnimationFrame(() => {
          requestAnimationFrame(() => {
            painted();
          });
        });
      }),
  );
}
