import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendView, CoreSnapshot } from '../shared/bridge/contract.ts';
import { xdgProfile } from '../electron/core/xdg-profile.test-support.ts';
import { BridgeProbe } from './support/bridge-probe.ts';
import { launchChromium } from './support/browser.ts';
import { newProfileDir, startCore, telephony, type RunningCore } from './support/serve.ts';

/**
 * The TEL extension type end to end: `callbridge serve` in a desktop of the test's own
 * (xdg-profile.test-support.ts says how its environment makes xdg-open deterministic), with
 * a real handler registered through xdg-mime that records the argv xdg-open gives it.
 */
describe('TEL extension type', () => {
  const desktop = xdgProfile();
  const profile = newProfileDir();
  let core: RunningCore;
  let probe: BridgeProbe;

  const dial = (number: string) => probe.invoke('command', { kind: 'MakeCall', number });
  /** The backend as soon as it has heard from xdg-mime (watched before it is read: no race). */
  const settledBackend = () =>
    new Promise<BackendView>((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error('the TEL backend did not hear from xdg-mime within 10 s'));
      }, 10_000);
      const seen = (backend: BackendView) => {
        if (backend.status.state === 'connecting') return;
        clearTimeout(timer);
        off();
        resolve(backend);
      };
      const off = probe.on('lines', (view) => {
        seen(view.backend);
      });
      probe.snapshot().then((snapshot) => {
        seen(snapshot.backend);
      }, reject);
    });

  before(async () => {
    desktop.registerRecorder('zoiper.desktop');
    core = await startCore(profile.dir, [], 20_000, { env: desktop.env });
    probe = await BridgeProbe.connect(core);
    const { settings } = await probe.snapshot();
    // As the Settings form sends it: everything as it is, the extension type changed.
    const saved = await probe.invoke('saveSettings', { ...settings, extension: { type: 'tel' } });
    assert.ok(saved.ok, JSON.stringify(saved));
  });

  afterEach(() => {
    desktop.reset();
    desktop.registerRecorder('zoiper.desktop');
  });

  after(async () => {
    probe.close();
    await core.stop();
    profile.remove();
    desktop.remove();
  });

  it('names the handler in its status and hands it exactly tel:<the number>', async () => {
    assert.deepEqual(await settledBackend(), {
      type: 'tel',
      status: { state: 'ready', summary: 'Dials through zoiper.desktop' },
    });
    assert.deepEqual(await dial('+44 20 7946 0018'), { ok: true, value: null });
    assert.deepEqual(await dial('1002'), { ok: true, value: null });
    assert.deepEqual(desktop.received(), ['tel:+442079460018', 'tel:1002']);
    const snapshot: CoreSnapshot = await probe.snapshot();
    assert.ok(
      snapshot.table.lines.every((line) => line.call === null),
      'no call on any line',
    );
    const handedOver = snapshot.log.filter((entry) => entry.source === 'tel');
    assert.deepEqual(
      handedOver.map((entry) => [entry.raw, entry.outcome]),
      [
        ['tel:1002', 'handed to zoiper.desktop'],
        ['tel:+442079460018', 'handed to zoiper.desktop'],
      ],
    );
  });

  it('answers a Hold with "the TEL extension type can only dial"', async () => {
    const result = await probe.invoke('command', { kind: 'Hold', line: 1 });
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'not-capable');
    assert.equal(result.error.message, 'the TEL extension type can only dial');
  });

  it('refuses to dial when Callbridge itself is the tel: handler, and hands nothing over', async () => {
    desktop.reset();
    desktop.registerRecorder('callbridge.desktop');
    const result = await dial('+442079460018');
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'backend-unavailable');
    assert.match(
      result.error.message,
      /^the system's tel: handler is Callbridge itself \(callbridge\.desktop\)/,
    );
    assert.deepEqual(desktop.received(), []);
    const { backend } = await probe.snapshot();
    assert.equal(backend.status.state, 'unavailable');
  });

  it('says no program is set to handle tel: links when there is none', async () => {
    desktop.reset();
    const result = await dial('1002');
    assert.ok(!result.ok);
    assert.match(result.error.message, /^no program is set to handle tel: links/);
  });

  it('still shows incoming calls the PBX posts to the listen port', async () => {
    const ring = await telephony(core, 'l=1&n=02079460018&a=i&i=Datos');
    assert.equal(ring.status, 200, ring.body);
    const { table } = await probe.snapshot();
    assert.equal(table.lines[0]?.call?.phase, 'ringing');
    assert.equal((await telephony(core, 'l=1&n=02079460018&a=t')).status, 200);
  });

  it('is chosen in Settings, which says what it does and which program it dials through', async () => {
    const { settings } = await probe.snapshot();
    const back = await probe.invoke('saveSettings', {
      ...settings,
      extension: { type: 'pbx-events' },
    });
    assert.ok(back.ok, JSON.stringify(back));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(core.url);
      await page.locator('.app[data-connection="live"]').waitFor();
      await page.getByRole('tab', { name: 'Settings' }).click();
      const form = page.getByRole('tabpanel', { name: 'Settings' });
      await form
        .getByLabel('Extension type', { exact: true })
        .selectOption({ label: "TEL (outgoing calls only, through the system's tel: handler)" });
      await form.getByText('Once this is saved, Callbridge names the program').waitFor();
      await form.getByRole('button', { name: 'Save' }).click();
      await page
        .locator('[data-backend="tel"][data-state="ready"]')
        .filter({ hasText: 'Dials through zoiper.desktop' })
        .waitFor();
      await form.getByText('Now: Dials through zoiper.desktop').waitFor();
    } finally {
      await browser.close();
    }
  });

  it('starts as TEL from a settings file that says so', async () => {
    const other = newProfileDir();
    writeFileSync(
      join(other.dir, 'settings.json'),
      JSON.stringify({ version: 2, extension: { type: 'tel' }, lines: 2 }),
    );
    const second = await startCore(other.dir, [], 20_000, { env: desktop.env });
    const secondProbe = await BridgeProbe.connect(second);
    try {
      assert.equal((await secondProbe.snapshot()).backend.type, 'tel');
      const result = await secondProbe.invoke('command', { kind: 'MakeCall', number: '112' });
      assert.deepEqual(result, { ok: true, value: null });
      assert.deepEqual(desktop.received(), ['tel:112']);
    } finally {
      secondProbe.close();
      await second.stop();
      other.remove();
    }
  });
});
