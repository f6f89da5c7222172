/**
 * `npm run bench`: latency from a listen-port request being sent to the incoming-call
 * alert being in the page's DOM, for the real core + Comms Manager and for a bare baseline
 * (bench/baseline-server.ts), in the same run and the same Chromium, interleaved in rounds
 * so that machine noise hits both alike.
 *
 * Both clocks are the machine's: Node's and the page's `performance.timeOrigin + now()`.
 */
import type { Page } from 'playwright-core';
import { launchChromium } from '../e2e/support/browser.ts';
import { newProfileDir, startCore, telephony } from '../e2e/support/serve.ts';
import { startBaseline } from './baseline-server.ts';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 1000);
const ROUNDS = 10;
const DEADLINE_MS = 5 * 60_000;

const now = () => performance.timeOrigin + performance.now();

/** Records, in the page, when each number first shows in an alert. */
async function watchAlerts(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen = new Map<string, number>();
    (window as unknown as { alertSeen: Map<string, number> }).alertSeen = seen;
    new MutationObserver(() => {
      for (const alert of document.querySelectorAll('[role="alert"]')) {
        const match = /9\d{7}/.exec(alert.textContent);
        if (match && !seen.has(match[0]))
          seen.set(match[0], performance.timeOrigin + performance.now());
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
}

async function seenAt(page: Page, number: string): Promise<number> {
  await page.waitForFunction(
    (n) => (window as unknown as { alertSeen: Map<string, number> }).alertSeen.has(n),
    number,
    { timeout: 5_000, polling: 'raf' },
  );
  return page.evaluate(
    (n) => (window as unknown as { alertSeen: Map<string, number> }).alertSeen.get(n) ?? NaN,
    number,
  );
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function main(): Promise<void> {
  const started = Date.now();
  const profile = newProfileDir();
  const core = await startCore(profile.dir);
  const baseline = await startBaseline();
  const browser = await launchChromium();
  try {
    const appPage = await browser.newPage();
    await appPage.goto(core.url);
    await appPage.locator('[data-line="1"][data-state="idle"]').waitFor();
    await watchAlerts(appPage);
    const basePage = await browser.newPage();
    await basePage.goto(`http://127.0.0.1:${baseline.port}/`);
    await basePage.evaluate(
      () => (window as unknown as { baselineReady: Promise<void> }).baselineReady,
    );
    await watchAlerts(basePage);

    const app: number[] = [];
    const base: number[] = [];
    let serial = 0;
    for (let round = 0; round < ROUNDS && Date.now() - started < DEADLINE_MS; round++) {
      for (let i = 0; i < EVENTS / ROUNDS; i++) {
        const number = String(90_000_000 + ++serial);
        const sentApp = now();
        const response = await telephony(core, `l=1&n=${number}&a=i&i=Bench`);
        if (response.status !== 200)
          throw new Error(`listen port answered ${response.status}: ${response.body}`);
        app.push((await seenAt(appPage, number)) - sentApp);
        await telephony(core, 'l=1&a=t');
        await appPage.locator('[data-line="1"][data-state="idle"]').waitFor();

        const sentBase = now();
        await fetch(`http://127.0.0.1:${baseline.port}/telephony?n=${number}`).then((r) =>
          r.text(),
        );
        base.push((await seenAt(basePage, number)) - sentBase);
      }
    }
    const report = (name: string, samples: number[]) => {
      const sorted = [...samples].sort((a, b) => a - b);
      return { name, n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
    };
    const a = report('Callbridge (core + Comms Manager)', app);
    const b = report('Baseline (bare HTTP → WebSocket → DOM)', base);
    const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
    console.log('| path | events | p50 | p99 |');
    console.log('|---|---|---|---|');
    for (const r of [a, b]) console.log(`| ${r.name} | ${r.n} | ${fmt(r.p50)} | ${fmt(r.p99)} |`);
    console.log(`| ratio | | ${(a.p50 / b.p50).toFixed(2)}x | ${(a.p99 / b.p99).toFixed(2)}x |`);
    console.log('');
    console.log(
      `target p99 ≤ 16.7 ms: ${a.p99 <= 16.7 ? 'met' : 'MISSED'}; within 3x of baseline p99: ${a.p99 <= 3 * b.p99 ? 'met' : 'MISSED'}`,
    );
  } finally {
    await browser.close();
    await baseline.close();
    await core.stop();
    profile.remove();
  }
}

await main();
