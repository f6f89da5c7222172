/**
 * `npm run bench`, SIP part (issue 7's benchmark), in one run on one rig: Kamailio with
 * rtpengine (e2e/sip/rig.ts), the real core serving the Comms Manager to Debian's
 * Chromium, whose JsSIP engine registers over WebSocket; sipp at the far ends.
 *
 * 1. INVITE → 180 Ringing with Callbridge as the callee, against sipp's own UAS on the
 *    same Kamailio, interleaved call by call (bench/sip-calls.ts).
 * 2. Time to "Registered" from Save (cold and warm) and from Kamailio coming back
 *    (bench/sip-register.ts).
 * 3. The hosting page's JS heap and the core's RSS after 10 calls and after all of them,
 *    each after a forced garbage collection (bench/sip-memory.ts).
 *
 * Counts: BENCH_SIP_CALLS (200), BENCH_SIP_REPEATS (10 per registration figure),
 * BENCH_SIP_OUTAGES (3 outages of BENCH_SIP_OUTAGE_S, 10 s). Runs in a network namespace
 * of its own, as the WebRTC e2e tests do, so that nothing leaves loopback.
 */
import { cpus, loadavg } from 'node:os';
import { launchChromium } from '../e2e/support/browser.ts';
import { runInOwnNetworkNamespace } from '../e2e/sip/netns.ts';
import { startRig } from '../e2e/sip/rig.ts';
import { benchCalls, type CallFigures } from './sip-calls.ts';
import { openPhone } from './sip-page.ts';
import { benchRegistration, type RegisterFigures } from './sip-register.ts';
import { mb, met, ms, seconds, summarize, table, type Summary } from './sip-stats.ts';

await runInOwnNetworkNamespace(import.meta.filename);

const count = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1`);
  return value;
};
const CALLS = count('BENCH_SIP_CALLS', 200);
const REPEATS = count('BENCH_SIP_REPEATS', 10);
const OUTAGES = count('BENCH_SIP_OUTAGES', 3);
const OUTAGE_MS = count('BENCH_SIP_OUTAGE_S', 10) * 1000;
/** The calls stop here even if fewer than CALLS went through; the table says how many. */
const CALLS_DEADLINE_MS = 240_000;
/** Memory is read after 10 calls, half-way and at the end. */
const MEMORY_AT = [Math.min(10, CALLS), Math.round(CALLS / 2)];

/** 1001 is Callbridge, 1002 the bare WebSocket agent, 1003 sipp's UAS; 1004 calls them; 1005 registers. */
const PHONE = '1001';
const WEBSOCKET = '1002';
const SIPP = '1003';
const CALLER = '1004';
const REGISTERING = '1005';

function printCalls(figures: CallFigures): void {
  const app = summarize(figures.callbridge);
  const base = summarize(figures.sipp);
  const ws = summarize(figures.websocket);
  const page = summarize(figures.inPage);
  const row = (name: string, s: Summary) => [name, String(s.n), ms(s.p50), ms(s.p99), ms(s.max)];
  const ratio = (name: string, a: Summary, b: Summary) => [
    name,
    '',
    `${(a.p50 / b.p50).toFixed(2)}x`,
    `${(a.p99 / b.p99).toFixed(2)}x`,
    '',
  ];
  console.log(`\n### SIP: INVITE → 180 Ringing (${app.n} calls to each callee, interleaved)\n`);
  console.log(
    table(
      ['callee', 'calls', 'p50', 'p99', 'max'],
      [
        row('Callbridge (core + Comms Manager in Chromium, JsSIP over WebSocket)', app),
        row('… of which in the page (INVITE frame in → 180 frame out)', page),
        row('Baseline: sipp UAS on the same Kamailio (UDP)', base),
        row('Second baseline: bare WebSocket UA in Node, same WebSocket + rtpengine path', ws),
        ratio('Callbridge / sipp UAS', app, base),
        ratio('Callbridge / bare WebSocket UA', app, ws),
      ],
    ),
  );
  console.log(
    `\ntarget p99 ≤ 2x the sipp UAS baseline (${ms(2 * base.p99)}): ${met(app.p99 <= 2 * base.p99)}; ` +
      `against the bare WebSocket UA (${ms(2 * ws.p99)}): ${met(app.p99 <= 2 * ws.p99)}` +
      ` (${figures.seconds.toFixed(0)} s for ${app.n + base.n + ws.n} calls)`,
  );
  console.log(
    `The sipp UAS's own p99 is ${(base.p99 / base.p50).toFixed(1)}x its p50: where that is ` +
      'large, the p99s measure the machine (other processes on the same cores) as much as ' +
      'the callee, and the p50s say more.',
  );
}

function printMemory(figures: CallFigures): void {
  const points = figures.memory;
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last || last.calls <= first.calls) {
    console.log('\nMemory: too few calls for a growth figure.');
    return;
  }
  type Point = (typeof points)[number];
  const per100 = (read: (p: Point) => number, from: Point) =>
    ((read(last) - read(from)) * 100) / (last.calls - from.calls);
  // The second half's slope tells a store filling up to its capacity from a leak.
  const middle = points.length > 2 ? points[points.length - 2] : undefined;
  const row = (name: string, read: (p: Point) => number, target: boolean) => [
    name,
    ...points.map((p) => mb(read(p))),
    mb(per100(read, first)),
    middle ? mb(per100(read, middle)) : '',
    target ? met(per100(read, first) < 1024 * 1024) : '(for reference)',
  ];
  console.log('\n### SIP: memory as the calls go on, each reading after a forced GC\n');
  console.log(
    table(
      [
        '',
        ...points.map((p) => `after ${p.calls} calls`),
        `growth per 100 calls (${first.calls} → ${last.calls})`,
        middle ? `(${middle.calls} → ${last.calls})` : '',
        'target < 1 MB / 100 calls',
      ],
      [
        row('Hosting page: JS heap (V8)', (p) => p.page.jsHeap, true),
        row('Hosting page: DOM heap (Blink)', (p) => p.page.domHeap, false),
        row('Core: RSS', (p) => p.core.rss, true),
        row('Core: JS heap (V8)', (p) => p.core.jsHeap, false),
      ],
    ),
  );
}

function printRegistration(figures: RegisterFigures): void {
  const rows = [
    ['cold: Save in Settings, fresh profile and page (page reloads)', figures.cold],
    ['warm: Save again, Display name changed', figures.warm],
    [
      `Kamailio back after a restart (away ${seconds(summarize(figures.restartAway).p50)} median)`,
      figures.restart,
    ],
    [`Kamailio back after a ${seconds(figures.outageMs)} outage`, figures.outage],
  ] as const;
  console.log('\n### SIP: time to "Registered" shown\n');
  console.log(
    table(
      ['from', 'runs', 'p50', 'p95', 'max', 'target p95 ≤ 5 s'],
      rows.map(([name, samples]) => {
        const s = summarize(samples);
        return [
          name,
          String(s.n),
          seconds(s.p50),
          seconds(s.p95),
          seconds(s.max),
          met(s.p95 <= 5_000),
        ];
      }),
    ),
  );
  console.log(
    '\nNothing is clicked after Kamailio is back: JsSIP reconnects on its own backoff ' +
      '(2 s after the drop, then 2 s to 2^n s at random, at most 30 s), so the last two rows ' +
      'are that backoff less the time Kamailio was away.',
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  const load = loadavg()[0]?.toFixed(1) ?? '?';
  const rig = await startRig({ rtpengine: true });
  try {
    const browser = await launchChromium();
    try {
      const phone = await openPhone(rig, browser, PHONE);
      let calls: CallFigures;
      try {
        calls = await benchCalls(
          rig,
          { ...phone, user: PHONE },
          {
            calls: CALLS,
            memoryAt: MEMORY_AT,
            deadlineMs: CALLS_DEADLINE_MS,
            sippUser: SIPP,
            websocketUser: WEBSOCKET,
            callerUser: CALLER,
          },
        );
      } finally {
        await phone.close();
      }
      const registration = await benchRegistration(rig, browser, {
        user: REGISTERING,
        repeats: REPEATS,
        outageRepeats: OUTAGES,
        outageMs: OUTAGE_MS,
      });
      printCalls(calls);
      printMemory(calls);
      printRegistration(registration);
      console.log(
        `\nSIP bench: ${((performance.now() - started) / 1000).toFixed(0)} s in all; ` +
          `load average ${load} at the start, ${loadavg()[0]?.toFixed(1) ?? '?'} at the end, ` +
          `on ${cpus().length} CPUs shared with whatever else runs.`,
      );
    } finally {
      await browser.close();
    }
  } finally {
    await rig.stop();
  }
}

await main();
