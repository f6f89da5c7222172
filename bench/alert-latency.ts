/**
 * `npm run bench`: latency from a listen-port request being sent to the incoming-call
 * alert being in the page's DOM, for the real core + Comms Manager and for a bare baseline
 * (bench/baseline-server.ts), in the same run and the same Chromium, interleaved event by
 * event so that machine noise hits both alike.
 *
 * Both clocks are the machine's: Node's and the page's `performance.timeOrigin + now()`.
 */
import type { Page } from 'playwright-core';
import { launchChromium } from '../e2e/support/browser.ts';
import { newProfileDir, startCore, telephony } from '../e2e/support/serve.ts';
import { startBaseline } from './baseline-server.ts';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 1000);
const DEADLINE_MS = 5 * 60_000;

const now = () => performance.timeOrigin + performance.now();

type AlertWatch = (number: string) => Promise<number>;

/**
 * Records, in the page, when each bench number first shows in an alert (and when the
 * alert clears), then tells the bench through a binding so it can pace itself. The time is
 * taken before the binding is called, and nothing polls the page while an event is in flight.
 */
async function watchAlerts(page: Page): Promise<AlertWatch> {
  const waiting = new Map<string, (at: number) => void>();
  await page.exposeFunction('benchAlertSeen', (number: string, at: number) => {
    waiting.get(number)?.(at);
    waiting.delete(number);
  });
  await page.evaluate(() => {
    const report = (window as unknown as { benchAlertSeen: (n: string, at: number) => void })
      .benchAlertSeen;
    const seen = new Set<string>();
    let alerting = false;
    new MutationObserver(() => {
      const at = performance.timeOrigin + performance.now();
      let any = false;
      for (const alert of document.querySelectorAll('[role="alert"]')) {
        const match = /9\d{7}/.exec(alert.textContent);
        if (!match) continue;
        any = true;
        if (!seen.has(match[0])) {
          seen.add(match[0]);
          report(match[0], at);
        }
      }
      if (alerting && !any) report('cleared', at);
      alerting = any;
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  return (number) =>
    new Promise<number>((seen, fail) => {
      const timer = setTimeout(() => {
        fail(new Error(`no alert for ${number} within 5 s`));
      }, 5_000);
      waiting.set(number, (at) => {
        clearTimeout(timer);
        seen(at);
      });
    });
}

/** Two animation frames: whatever the last change queued has been rendered and painted. */
function settle(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((done) => {
        requestAnimationFrame(() => {
          requestAnimationFrame(() => {
            done();
          });
        });
      }),
  );
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function summary(name: string, samples: readonly number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { name, n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

async function main(): Promise<void> {
  const started = Date.now();
  const profile = newProfileDir();
  const core = await startCore(profile.dir);
  const baseline = await startBaseline();
  const browser = await launchChromium();
  try {
    // One context (window) each, so that neither page is a hidden background tab.
    const appPage = await (await browser.newContext()).newPage();
    await appPage.goto(core.url);
    await appPage.locator('[data-line="1"][data-state="idle"]').waitFor();
    const appAlert = await watchAlerts(appPage);
    const basePage = await (await browser.newContext()).newPage();
    await basePage.goto(`http://127.0.0.1:${baseline.port}/`);
    await basePage.evaluate(
      () => (window as unknown as { baselineReady: Promise<void> }).baselineReady,
    );
    const baseAlert = await watchAlerts(basePage);
    for (const page of [appPage, basePage]) {
      const visibility = await page.evaluate(() => document.visibilityState);
      if (visibility !== 'visible') throw new Error(`a bench page is ${visibility}`);
    }

    const app: number[] = [];
    const base: number[] = [];
    for (let serial = 1; serial <= EVENTS && Date.now() - started < DEADLINE_MS; serial++) {
      const number = String(90_000_000 + serial);
      const shown = appAlert(number);
      const sent = now();
      const response = await telephony(core, `l=1&n=${number}&a=i&i=Bench`);
      if (response.status !== 200) {
        throw new Error(`listen port answered ${response.status}: ${response.body}`);
      }
      app.push((await shown) - sent);
      const cleared = appAlert('cleared');
      await telephony(core, 'l=1&a=t');
      await cleared;
      // Calls arrive seconds apart: let the page finish the ended call (history row, log
      // entry, paint) so that the next alert is timed on a settled page, as in real use.
      await settle(appPage);

      const baseShown = baseAlert(number);
      const baseSent = now();
      await (await fetch(`http://127.0.0.1:${baseline.port}/telephony?n=${number}`)).text();
      base.push((await baseShown) - baseSent);
      await settle(basePage);
    }

    const a = summary('Callbridge (core + Comms Manager)', app);
    const b = summary('Baseline (bare HTTP → WebSocket → DOM)', base);
    const ms = (value: number) => `${value.toFixed(2)} ms`;
    console.log('| path | events | p50 | p99 |');
    console.log('|---|---|---|---|');
    for (const r of [a, b]) console.log(`| ${r.name} | ${r.n} | ${ms(r.p50)} | ${ms(r.p99)} |`);
    console.log(`| ratio | | ${(a.p50 / b.p50).toFixed(2)}x | ${(a.p99 / b.p99).toFixed(2)}x |`);
    console.log('');
    const frame = a.p99 <= 16.7 ? 'met' : 'MISSED';
    const ratio = a.p99 <= 3 * b.p99 ? 'met' : 'MISSED';
    console.log(`target p99 ≤ 16.7 ms: ${frame}; p99 within 3x of the baseline: ${ratio}`);
  } finally {
    await browser.close();
    await baseline.close();
    await core.stop();
    profile.remove();
  }
}

await main();
