import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { BridgeProbe } from './support/bridge-probe.ts';
import { launchChromium } from './support/browser.ts';
import { newProfileDir, startCore, type RunningCore } from './support/serve.ts';
import { sipAccountSettings } from './sip/account.ts';
import { startRig, type SipRig } from './sip/rig.ts';

/**
 * The SIP softphone against a real Kamailio: the real core, the Comms Manager in Chromium
 * hosting the JsSIP engine, sipp at the far end. Waits on what the page shows.
 */
describe('SIP softphone registration', () => {
  const profile = newProfileDir();
  let rig: SipRig;
  let core: RunningCore;
  let browser: Browser;
  let page: Page;
  let probe: BridgeProbe;

  const backend = () => page.locator('[data-backend]');
  const waitForBackend = (state: string) =>
    page.locator(`[data-backend][data-state="${state}"]`).waitFor({ timeout: 15_000 });

  const account = (user: string, password: string) => sipAccountSettings(rig, user, password);

  before(async () => {
    rig = await startRig();
    core = await startCore(profile.dir);
    probe = await BridgeProbe.connect(core);
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(core.url);
    await page.locator('.app[data-connection="live"]').waitFor();
  });

  after(async () => {
    probe.close();
    await browser.close();
    await core.stop();
    await rig.stop();
    profile.remove();
  });

  it('takes the account through Settings, refusing bad values next to their fields', async () => {
    const fifth = rig.users[4];
    assert.ok(fifth);
    await page.getByRole('tab', { name: 'Settings' }).click();
    const settings = page.getByRole('tabpanel', { name: 'Settings' });
    const field = (name: string) => settings.getByLabel(name, { exact: true });
    await field('Extension type').selectOption({ label: 'SIP softphone' });
    await field('Server address').fill('sip:pbx.example.com');
    await field('Username').fill(fifth.user);
    await settings.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: 'Settings not saved' }).waitFor();
    assert.match(
      await settings.locator('.field-error').first().innerText(),
      /Server address "sip:" cannot be used/,
    );
    await field('Server address').fill(rig.wsUrl);
    await field('Password').fill(fifth.password);
    await field('Domain').fill(rig.domain);
    await settings.getByRole('button', { name: 'Save' }).click();
    // A new SIP server means a new Content-Security-Policy: the page loads again for it.
    await page
      .locator('[data-backend][data-state="ready"]')
      .filter({ hasText: `Registered as sip:${fifth.user}@${rig.domain}` })
      .waitFor({ timeout: 20_000 });
    await page.getByRole('tab', { name: 'Settings' }).click();
    const password = page.getByRole('tabpanel', { name: 'Settings' }).getByLabel('Password', {
      exact: true,
    });
    assert.equal(await password.inputValue(), '', 'the password never comes back to the page');
    assert.equal(await password.getAttribute('type'), 'password');
  });

  it('registers with the right password and says so in the header', async () => {
    const [first] = rig.users;
    assert.ok(first);
    const saved = await probe.invoke('saveSettings', account(first.user, first.password));
    assert.ok(saved.ok, JSON.stringify(saved));
    // Not just any "ready": the PBX-events backend it replaces was ready too, and the
    // header may still show it for a moment after saveSettings answers.
    await page
      .locator('[data-backend][data-state="ready"]')
      .filter({ hasText: `Registered as sip:${first.user}@` })
      .waitFor({ timeout: 15_000 });
    assert.ok(await rig.registered(first.user));
  });

  it('names the error a person can act on for a wrong password, then registers once it is fixed', async () => {
    const second = rig.users[1];
    assert.ok(second);
    assert.ok((await probe.invoke('saveSettings', account(second.user, 'not-the-password'))).ok);
    await page
      .locator('[data-backend][data-state="unavailable"]')
      .filter({ hasText: /wrong user name or password/ })
      .waitFor({ timeout: 15_000 });
    assert.match(await backend().innerText(), /Registration failed/);
    assert.ok((await probe.invoke('saveSettings', account(second.user, second.password))).ok);
    await page
      .locator('[data-backend][data-state="ready"]')
      .filter({ hasText: `Registered as sip:${second.user}@` })
      .waitFor({ timeout: 15_000 });
  });

  it('re-registers by itself when Kamailio goes away and comes back', async () => {
    await waitForBackend('ready');
    await rig.kill();
    await page.locator('[data-backend]:not([data-state="ready"])').waitFor({ timeout: 15_000 });
    await rig.restart();
    await waitForBackend('ready');
  });
});
