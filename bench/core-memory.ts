/**
 * `npm run bench`, second part: the core's memory next to a bare Node 24 process started
 * the same way (bench/bare-node.ts), in the same run, read the same way from
 * /proc/<pid>/status:
 *
 * - idle after start;
 * - after CALLS calls pushed through the listen port (each an incoming call and its end,
 *   `l=1&n=…&a=i` then `l=1&a=t`, sequential over keep-alive), with the same number of
 *   requests sent to the bare server;
 * - after SETTLE_MS idle. GC cannot be forced from outside without changing the product,
 *   so this is what an idle wait gives back.
 *
 * Also samples the core every SAMPLE_EVERY calls, so that growth that does not level off
 * (a leak) shows as a slope rather than hiding in one end number. The bench spawns the
 * same `process.execPath` it runs on for every process, with no extra flags.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { newProfileDir, startCore, telephony } from '../e2e/support/serve.ts';

const CALLS = Number(process.env['BENCH_CALLS'] ?? 10_000);
const SAMPLE_EVERY = 1_000;
/** The calls stop here even if fewer than CALLS went through; the table says how many. */
const CALLS_DEADLINE_MS = 90_000;
const IDLE_MS = 2_000;
const SETTLE_MS = 2_000;
const BARE = join(import.meta.dirname, 'bare-node.ts');

interface Memory {
  /** Resident now, kB. */
  readonly rss: number;
  /** Peak resident so far, kB. */
  readonly hwm: number;
  /** Resident anonymous (heaps, malloc) and file-backed (the node binary's pages), kB. */
  readonly anon: number;
  readonly file: number;
}

function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(match[1]);
  };
  return { rss: kb('VmRSS'), hwm: kb('VmHWM'), anon: kb('RssAnon'), file: kb('RssFile') };
}

interface Bare {
  readonly pid: number;
  readonly port: number;
  stop(): Promise<void>;
}

/** Spawn a bare server and wait for its ready line; bounded like startCore. */
async function startBare(args: readonly string[], timeoutMs = 10_000): Promise<Bare> {
  const child: ChildProcess = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stdout = child.stdout;
  if (!stdout || child.pid === undefined) throw new Error('could not start the bare server');
  const pid = child.pid;
  const lines = createInterface({ input: stdout });
  const port = await new Promise<number>((ready, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`the bare server did not start in ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the bare server exited with ${code}`));
    });
    lines.on('line', (line) => {
      const match = /^Ready: (\d+)$/.exec(line);
      if (!match) return;
      clearTimeout(timer);
      ready(Number(match[1]));
    });
  });
  return {
    pid,
    port,
    stop: () =>
      new Promise((stopped) => {
        if (child.exitCode !== null || child.signalCode !== null) stopped();
        else {
          child.once('exit', () => {
            stopped();
          });
          child.kill('SIGTERM');
        }
      }),
  };
}

const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

async function main(): Promise<void> {
  const profile = newProfileDir();
  // Whatever started is stopped, also when a later start fails.
  const running: { stop: () => Promise<unknown> }[] = [];
  try {
    const core = await startCore(profile.dir);
    running.push(core);
    const bare = await startBare([BARE]);
    running.push(bare);
    const plain = await startBare(['--input-type=module', '-e', readFileSync(BARE, 'utf8')]);
    running.push(plain);
    await sleep(IDLE_MS);
    const idle = { core: memoryOf(core.pid), bare: memoryOf(bare.pid), plain: memoryOf(plain.pid) };

    const started = performance.now();
    const samples: { calls: number; rss: number }[] = [{ calls: 0, rss: idle.core.rss }];
    let calls = 0;
    while (calls < CALLS && performance.now() - started < CALLS_DEADLINE_MS) {
      const number = String(90_000_000 + calls + 1);
      for (const query of [`l=1&n=${number}&a=i`, 'l=1&a=t']) {
        const response = await telephony(core, query);
        if (response.status !== 200) {
          throw new Error(`listen port answered ${response.status} to ${query}: ${response.body}`);
        }
        await telephony({ listenPort: bare.port }, query);
      }
      calls++;
      if (calls % SAMPLE_EVERY === 0) samples.push({ calls, rss: memoryOf(core.pid).rss });
    }
    const seconds = (performance.now() - started) / 1000;
    const loaded = { core: memoryOf(core.pid), bare: memoryOf(bare.pid) };
    await sleep(SETTLE_MS);
    const settled = { core: memoryOf(core.pid), bare: memoryOf(bare.pid) };

    console.log('');
    const callsLabel = `after ${calls.toLocaleString('en')} calls`;
    console.log(
      `| process | idle after start | ${callsLabel} | after ${SETTLE_MS / 1000} s idle | peak (VmHWM) |`,
    );
    console.log('|---|---|---|---|---|');
    const row = (name: string, a: Memory, b: Memory, c: Memory) =>
      `| ${name} | ${mb(a.rss)} | ${mb(b.rss)} | ${mb(c.rss)} | ${mb(c.hwm)} |`;
    console.log(row('Callbridge core (`callbridge serve`)', idle.core, loaded.core, settled.core));
    console.log(row('Bare Node 24 (same binary, .ts entry)', idle.bare, loaded.bare, settled.bare));
    console.log(
      `| ratio | ${ratio(idle.core.rss, idle.bare.rss)} | ${ratio(loaded.core.rss, loaded.bare.rss)} | ` +
        `${ratio(settled.core.rss, settled.bare.rss)} | ${ratio(settled.core.hwm, settled.bare.hwm)} |`,
    );
    console.log('');
    const split = (name: string, m: Memory) =>
      `${name} ${mb(m.rss)} = ${mb(m.anon)} anonymous + ${mb(m.file)} file-backed`;
    console.log(`Idle: ${split('core', idle.core)}; ${split('bare', idle.bare)}.`);
    console.log(
      `The same bare server run as plain JavaScript (no type stripping): ${mb(idle.plain.rss)}; ` +
        `type stripping costs the bare process ${mb(idle.bare.rss - idle.plain.rss)}.`,
    );
    const rate = Math.round(calls / seconds);
    console.log(
      `Core RSS every ${SAMPLE_EVERY.toLocaleString('en')} calls (${seconds.toFixed(1)} s, ${rate} calls/s): ` +
        samples.map((s) => (s.rss / 1024).toFixed(1)).join(', ') +
        ' MB',
    );
    // V8 sizes its young generation to the request rate, so RSS climbs in a few steps and
    // then stops; a leak rises in every interval. The second half of the run tells them apart.
    const to = samples.at(-1);
    const half = samples.filter((s) => to && s.calls >= to.calls / 2);
    const from = half[0];
    if (from && to && to.calls > from.calls) {
      const rising = half.slice(1).filter((s, i) => s.rss - (half[i]?.rss ?? s.rss) > 256).length;
      console.log(
        `Second half (calls ${from.calls.toLocaleString('en')} to ${to.calls.toLocaleString('en')}): ` +
          `${mb(to.rss - from.rss)} more, rising in ${rising} of ${half.length - 1} intervals ` +
          '(a leak rises in every one).',
      );
    }
  } finally {
    await Promise.all(running.map((child) => child.stop()));
    profile.remove();
  }
}

await main();
