import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { BridgeProbe } from './support/bridge-probe.ts';
import { launchChromium } from './support/browser.ts';
import { occupiedPort } from './support/net.ts';
import {
  newProfileDir,
  REPO_ROOT,
  startCore,
  telephony,
  type RunningCore,
} from './support/serve.ts';

/** Settings through the real UI: errors next to the field, nothing half-saved. */
describe('Settings in the Comms Manager', () => {
  const profile = newProfileDir();
  let core: RunningCore;
  let browser: Browser;
  let page: Page;
  let probe: BridgeProbe;
  let settings: Locator;

  before(async () => {
    core = await startCore(profile.dir);
    probe = await BridgeProbe.connect(core);
    browser = await launchChromium();
    page = await browser.newPage();
  });

  // Each test starts from a freshly loaded form showing what the core holds, so none
  // depends on what the one before typed.
  beforeEach(async () => {
    await page.goto('about:blank');
    await page.goto(core.url);
    await page.locator('.app[data-connection="live"]').waitFor();
    await page.getByRole('tab', { name: 'Settings' }).click();
    settings = page.getByRole('tabpanel', { name: 'Settings' });
    await settings.getByRole('heading', { name: 'Settings' }).waitFor();
  });

  after(async () => {
    probe.close();
    await browser.close();
    await core.stop();
    profile.remove();
  });

  const field = (name: string) => settings.getByLabel(name, { exact: true });
  const save = () => settings.getByRole('button', { name: 'Save' }).click();
  const errorFor = async (name: string) => {
    const control = field(name);
    await control.and(page.locator('[aria-invalid="true"]')).waitFor();
    const describedBy = (await control.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(' ').find((id) => id.endsWith('-error')) ?? '';
    return page.locator(`[id="${errorId}"]`).innerText();
  };

  it('shows what is wrong next to each bad field and applies none of it', async () => {
    await field('Lines').fill('99');
    await field('Allowed PBX addresses').fill('192.168.1.20, not-an-ip');
    await save();
    await page.getByRole('alert').filter({ hasText: 'Settings not saved' }).waitFor();
    assert.match(await errorFor('Lines'), /at most 64/);
    // The README's picture of Settings: refreshed with UPDATE_SCREENSHOTS=1.
    if (process.env['UPDATE_SCREENSHOTS']) {
      await page.screenshot({ path: join(REPO_ROOT, 'docs', 'settings.png'), fullPage: true });
    }
    assert.match(await errorFor('Allowed PBX addresses'), /not-an-ip/);
    const snapshot = await probe.snapshot();
    assert.equal(snapshot.table.lines.length, 4);
    assert.deepEqual(snapshot.settings.doors['listen-port'].allowFrom, []);
    assert.throws(() => readFileSync(join(profile.dir, 'settings.json')));
  });

  it('refuses a listen port another program holds, and keeps the old one serving', async () => {
    const taken = await occupiedPort();
    await field('Listen port').fill(String(taken.port));
    await save();
    assert.match(await errorFor('Listen port'), /already in use/);
    await taken.release();
    assert.equal((await telephony(core, 'l=1&n=1&a=i')).status, 200);
    assert.equal((await telephony(core, 'l=1&a=t')).status, 200);
  });

  it('saves good settings, shows them at once and keeps them on disk', async () => {
    await field('Listen port').fill(String(core.listenPort));
    await field('Lines').fill('2');
    await save();
    await page.getByRole('status').filter({ hasText: 'Settings saved' }).waitFor();
    await page.locator('[data-line]').nth(2).waitFor({ state: 'detached' });
    assert.equal(await page.locator('[data-line][data-state]').count(), 2);
    const onDisk = JSON.parse(readFileSync(join(profile.dir, 'settings.json'), 'utf8')) as {
      version: number;
      lines: number;
    };
    assert.deepEqual([onDisk.version, onDisk.lines], [2, 2]);
    const refused = await telephony(core, 'l=3&n=1&a=i');
    assert.equal(refused.status, 400);
    assert.match(refused.body, /1 to 2/);
  });
});

/** A damaged settings.json: the app says it runs on defaults until a save, and keeps the file. */
describe('Settings after a damaged settings.json', () => {
  const profile = newProfileDir();
  let core: RunningCore;
  let browser: Browser;

  before(async () => {
    writeFileSync(join(profile.dir, 'settings.json'), '{"version": 2, "lines": ');
    core = await startCore(profile.dir);
    browser = await launchChromium();
  });

  after(async () => {
    await browser.close();
    await core.stop();
    profile.remove();
  });

  it('shows the problem in the header until the user saves, then keeps the damaged file aside', async () => {
    const page = await browser.newPage();
    await page.goto(core.url);
    const banner = page.locator('[data-settings-problem]');
    await banner.waitFor();
    assert.match(
      await banner.innerText(),
      /The saved settings could not be used: settings\.json is not valid JSON.*running on defaults until you save/s,
    );
    await page.getByRole('tab', { name: 'Settings' }).click();
    const settings = page.getByRole('tabpanel', { name: 'Settings' });
    await settings.getByLabel('Listen port', { exact: true }).fill(String(core.listenPort));
    await settings.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved' }).waitFor();
    await banner.waitFor({ state: 'detached' });
    const saved = JSON.parse(readFileSync(join(profile.dir, 'settings.json'), 'utf8')) as {
      version: number;
    };
    assert.equal(saved.version, 2);
    const kept = readdirSync(profile.dir).filter((name) =>
      name.startsWith('settings.json.corrupt-'),
    );
    assert.equal(kept.length, 1);
    assert.equal(
      readFileSync(join(profile.dir, kept[0] ?? ''), 'utf8'),
      '{"version": 2, "lines": ',
    );
  });
});
