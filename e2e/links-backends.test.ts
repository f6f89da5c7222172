import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { xdgProfile } from '../electron/core/xdg-profile.test-support.ts';
import { BridgeProbe } from './support/bridge-probe.ts';
import { run, VENDOR_HASH as HASH } from './support/links.ts';
import { startRig, type SipRig } from './sip/rig.ts';
import { launchChromium } from './support/browser.ts';
import { CLI, newProfileDir, startCore, type RunningCore } from './support/serve.ts';

/**
 * A link's account registers for real and a link dials through it: Kamailio (e2e/sip/rig.ts)
 * with a subscriber whose password is the link's MD5 hash, as a VOIspeed PBX has it.
 */
describe('Click-to-dial links through the SIP softphone', () => {
  const profile = newProfileDir();
  let rig: SipRig;
  let core: RunningCore;
  let probe: BridgeProbe;
  let browser: Browser;
  let page: Page;

  before(async () => {
    rig = await startRig({ accounts: [{ user: '1001', password: HASH }] });
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

  const open = (link: string) =>
    run(process.execPath, [CLI, 'open', '--profile', profile.dir, '--', link]);

  it('registers the account a link set up, and keeps a dialled ext_ID with the call', async () => {
    const link = `voispeed:U1001@${rig.domain},${HASH},1001,${rig.wsUrl}`;
    assert.equal((await open(link)).code, 0);
    const question = page.getByRole('alertdialog', {
      name: `Set up the SIP account 1001@${rig.domain} from a link?`,
    });
    await question.getByRole('button', { name: 'Yes', exact: true }).click();
    // The new server means a new Content-Security-Policy: the page loads again, registers.
    await page
      .locator('[data-backend][data-state="ready"]')
      .filter({ hasText: `Registered as sip:1001@${rig.domain}` })
      .waitFor({ timeout: 20_000 });
    assert.ok(await rig.registered('1001'));

    const ended = probe.next('historyAdded', 20_000);
    const dialled = await open('voispeed:1002,Order 1234');
    assert.deepEqual(dialled, {
      code: 0,
      stdout: 'callbridge open: dialled 1002 (ext_ID "Order 1234")',
      stderr: '',
    });
    // Nobody is registered as 1002: Kamailio answers, the call ends, its tag goes with it.
    const record = await ended;
    assert.deepEqual(
      [record.number, record.direction, record.tag],
      ['1002', 'outbound', 'Order 1234'],
    );
    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByRole('table', { name: 'Call history' }).getByText('(ID Order 1234)').waitFor();
  });
});

/**
 * The links dial through the TEL extension type: the system's tel: handler (a recording
 * one, registered with xdg-mime in a desktop of the test's own) gets exactly the number.
 */
describe('Click-to-dial links through the TEL extension type', () => {
  const desktop = xdgProfile();
  const profile = newProfileDir();
  let core: RunningCore;
  let probe: BridgeProbe;

  before(async () => {
    desktop.registerRecorder('zoiper.desktop');
    core = await startCore(profile.dir, [], 20_000, { env: desktop.env });
    probe = await BridgeProbe.connect(core);
    const { settings } = await probe.snapshot();
    const saved = await probe.invoke('saveSettings', { ...settings, extension: { type: 'tel' } });
    assert.ok(saved.ok, JSON.stringify(saved));
  });

  after(async () => {
    probe.close();
    await core.stop();
    profile.remove();
    desktop.remove();
  });

  it('hands the handler exactly the number each scheme’s link names', async () => {
    const links = [
      ['tel:+1-212-555-0100', 'tel:+12125550100'],
      ['callto://+390612345678/', 'tel:+390612345678'],
      ['sip:100@pbx.example.com', 'tel:100'],
      ['voispeed: C 187', 'tel:187'],
      ['voispeed:187 ', 'tel:187'],
      ['voispeed:0612345678,Order 1234', 'tel:0612345678'],
    ] as const;
    for (const [link] of links) {
      const result = await run(process.execPath, [
        CLI,
        'open',
        '--profile',
        profile.dir,
        '--',
        link,
      ]);
      assert.equal(result.code, 0, `${link}: ${result.stderr}`);
      assert.match(result.stdout, /^callbridge open: dialled /);
    }
    assert.deepEqual(
      desktop.received(),
      links.map(([, handed]) => handed),
    );
  });
});
