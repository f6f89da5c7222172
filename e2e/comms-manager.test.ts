import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser.ts';
import {
  newProfileDir,
  REPO_ROOT,
  startCore,
  telephony,
  type RunningCore,
} from './support/serve.ts';

/**
 * The walking skeleton end to end: the real core process, real HTTP from a "PBX", the real
 * UI in Debian's Chromium. Every wait is on what the page shows, never on a sleep.
 */
describe('Comms Manager shows calls pushed to the listen port', () => {
  const profile = newProfileDir();
  let core: RunningCore;
  let browser: Browser;
  let page: Page;

  const line = (n: number) => page.getByRole('listitem', { name: `Line ${n}`, exact: true });
  const waitForState = (n: number, state: string) =>
    page.locator(`[data-line="${n}"][data-state="${state}"]`).waitFor({ timeout: 10_000 });

  before(async () => {
    core = await startCore(profile.dir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(core.url);
    await page.getByRole('heading', { name: 'Comms Manager', level: 1 }).waitFor();
    await waitForState(1, 'idle');
  });

  after(async () => {
    await browser.close();
    await core.stop();
    profile.remove();
  });

  // One call's life, step by step: each step starts from the state the one before left, so
  // they are subtests of one test, in this order, rather than tests that could run alone.
  it('walks one call through alert, answer, hold, line select, end and history', async (t) => {
    await t.test(
      'flashes an incoming-call alert with the number and caller ID (long form)',
      async () => {
        const response = await telephony(
          core,
          'line=1&no=012345678901&action=incoming&callerid=Datos',
        );
        assert.equal(response.status, 200);
        await waitForState(1, 'ringing');
        const alert = page.getByRole('alert', { name: 'Incoming call' });
        await alert.waitFor();
        const text = await alert.innerText();
        assert.match(text, /012345678901/);
        assert.match(text, /Datos/);
        assert.match(await line(1).innerText(), /Ringing/);
      },
    );

    await t.test('shows the call established with a running timer (short form)', async () => {
      assert.equal((await telephony(core, 'l=1&n=012345678901&a=e&i=Datos')).status, 200);
      await waitForState(1, 'established');
      await page.getByRole('alert', { name: 'Incoming call' }).waitFor({ state: 'detached' });
      const timer = line(1).locator('[data-timer]');
      const first = await timer.innerText();
      assert.match(first, /^\d{2}:\d{2}$/);
      await page.waitForFunction(
        ([selector, before]) => document.querySelector(selector)?.textContent !== before,
        ['[data-line="1"] [data-timer]', first] as const,
        { timeout: 5_000 },
      );
    });

    await t.test('shows hold and resume', async () => {
      assert.equal((await telephony(core, 'l=1&a=h')).status, 200);
      await waitForState(1, 'held');
      assert.match(await line(1).innerText(), /On hold/);
      assert.equal((await telephony(core, 'LINE=1&ACTION=HOLDRESUME')).status, 200);
      await waitForState(1, 'established');
    });

    await t.test('selects a line on LINESELECT', async () => {
      assert.equal((await telephony(core, 'l=2&a=l')).status, 200);
      await page.locator('[data-line="2"][aria-current="true"]').waitFor();
    });

    await t.test('ends the call on TERMINATED and lists it in the call history', async () => {
      assert.equal(
        (await telephony(core, 'line=1&no=012345678901&action=terminated&callerid=Datos')).status,
        200,
      );
      await waitForState(1, 'idle');
      await page.getByRole('tab', { name: 'History' }).click();
      const history = page.getByRole('table', { name: 'Call history' });
      const row = history.getByRole('row').filter({ hasText: '012345678901' }).first();
      await row.waitFor();
      assert.match(await row.innerText(), /Datos/);
      assert.equal(
        await history.locator('[data-outcome]').first().getAttribute('data-outcome'),
        'answered',
      );
    });

    await t.test('has no serious or critical accessibility violations', async () => {
      await telephony(core, 'l=3&n=0207946000&a=i&i=Acme%20Ltd');
      await waitForState(3, 'ringing');
      for (const tab of ['History', 'Integration log', 'Settings']) {
        await page.getByRole('tab', { name: tab }).click();
        await page.getByRole('tabpanel', { name: tab }).waitFor();
        const violations = await axeViolations(page);
        assert.deepEqual(violations, [], `${tab}: ${JSON.stringify(violations, null, 2)}`);
      }
      await page.getByRole('tab', { name: 'Integration log' }).click();
      // The README's screenshot: refreshed with UPDATE_SCREENSHOTS=1, otherwise kept aside.
      const folder = process.env['UPDATE_SCREENSHOTS'] ? 'docs' : join('e2e', 'artifacts');
      mkdirSync(join(REPO_ROOT, folder), { recursive: true });
      await page.screenshot({ path: join(REPO_ROOT, folder, 'comms-manager.png') });
    });

    await t.test('shows markup in a caller ID as text, never as markup', async () => {
      const hostile = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';
      const query = `l=4&n=0201&a=i&i=${encodeURIComponent(hostile)}`;
      assert.equal((await telephony(core, query)).status, 200);
      await waitForState(4, 'ringing');
      assert.match(await line(4).innerText(), /<img src=x onerror="window\.pwned=1">/);
      assert.equal(await line(4).locator('img, script').count(), 0);
      assert.equal(await page.evaluate(() => 'pwned' in window), false);
      assert.equal((await telephony(core, 'l=4&a=t')).status, 200);
      await waitForState(4, 'idle');
    });

    await t.test('keeps the history after the core restarts', async () => {
      await core.stop();
      core = await startCore(profile.dir);
      await page.goto(core.url);
      await page.getByRole('tab', { name: 'History' }).click();
      await page
        .getByRole('table', { name: 'Call history' })
        .getByText('012345678901')
        .first()
        .waitFor();
    });
  });
});

async function axeViolations(
  page: Page,
): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  const source = readFileSync(join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await page.evaluate(source);
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<AxeResults> } })
      .axe;
    return axe.run(document);
  });
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? '',
      nodes: violation.nodes.map((node) => node.html),
    }));
}

interface AxeResults {
  violations: { id: string; impact?: string | null; nodes: { html: string }[] }[];
}
