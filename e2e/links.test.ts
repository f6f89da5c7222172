import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { LogEntry } from '../shared/model/integration-log.ts';
import { BridgeProbe } from './support/bridge-probe.ts';
import { run, VENDOR_HASH as HASH } from './support/links.ts';
import { launchChromium } from './support/browser.ts';
import { CLI, newProfileDir, startCore, telephony, type RunningCore } from './support/serve.ts';

/** The vendor's example with its stray spaces; its PBX address on loopback, as tests must. */
const AUTOCONFIGURATION = `voispeed: Ualpha39 @ tscomm.it, ${HASH},3939,127.0.0.1: 5063`;
const CAPABILITY = 'MakeCall is not available with the pbx-events extension type';

/**
 * Links from outside, end to end: the real `callbridge serve`, `callbridge open` as a
 * separate process (as a browser's desktop entry runs it), the Comms Manager in Chromium
 * for the questions. The core starts with PBX-pushed events, which cannot dial, then a
 * voispeed: link sets up the SIP account.
 */
describe('Click-to-dial links', () => {
  const profile = newProfileDir();
  let core: RunningCore;
  let probe: BridgeProbe;
  let browser: Browser;
  let page: Page;

  const open = (...args: string[]) =>
    run(process.execPath, [CLI, 'open', '--profile', profile.dir, '--', ...args]);
  const linksLog = async (): Promise<LogEntry[]> =>
    (await probe.snapshot()).log.filter((entry) => entry.source === 'links');
  const question = (name: string, on: Page = page) =>
    on.getByRole('alertdialog', { name, exact: true });
  const livePage = async () => {
    const opened = await browser.newPage();
    await opened.goto(core.url);
    await opened.locator('.app[data-connection="live"]').waitFor();
    return opened;
  };

  before(async () => {
    core = await startCore(profile.dir);
    probe = await BridgeProbe.connect(core);
    browser = await launchChromium();
    page = await livePage();
  });

  after(async () => {
    probe.close();
    await browser.close();
    await core.stop();
    profile.remove();
  });

  it('says no Callbridge is running for a profile without one', async () => {
    const empty = newProfileDir();
    try {
      const result = await run(process.execPath, [CLI, 'open', '--profile', empty.dir, 'tel:187']);
      assert.equal(result.code, 3);
      assert.match(result.stderr, /^callbridge open: no Callbridge is running for profile \//);
      assert.ok(result.stderr.includes(empty.dir));
    } finally {
      empty.remove();
    }
  });

  it('is refused with a wrong token, and the link is not taken', async () => {
    const forged = newProfileDir();
    try {
      const real = JSON.parse(readFileSync(join(profile.dir, 'local-api.json'), 'utf8')) as {
        port: number;
      };
      const file = join(forged.dir, 'local-api.json');
      writeFileSync(file, JSON.stringify({ port: real.port, token: 'x'.repeat(43) }), {
        mode: 0o600,
      });
      const result = await run(process.execPath, [CLI, 'open', '--profile', forged.dir, 'tel:187']);
      assert.equal(result.code, 4);
      assert.match(result.stderr, /refused the token in .*: missing or wrong token/);
      assert.ok(!(await linksLog()).some((entry) => entry.raw === 'tel:187'));
    } finally {
      forged.remove();
    }
  });

  it('reads a link of every scheme, and the backend that cannot dial says so', async () => {
    for (const link of [
      'tel:+1-212-555-0100',
      'callto://+390612345678/',
      'sip:100@pbx.example.com',
      'voispeed: C 187',
      'voispeed:187 ',
      'voispeed:0612345678,Order 1234',
    ]) {
      const result = await open(link);
      assert.deepEqual(result, { code: 4, stdout: '', stderr: `callbridge open: ${CAPABILITY}` });
      const entry = (await linksLog()).find((logged) => logged.raw === link);
      assert.equal(entry?.error, CAPABILITY, link);
    }
    const snapshot = await probe.snapshot();
    assert.ok(snapshot.table.lines.every((line) => line.call === null));
  });

  it('answers a malformed link with the parser’s message and dials nothing', async () => {
    const result = await open('tel:12a4');
    assert.equal(result.code, 4);
    assert.equal(
      result.stderr,
      'callbridge open: tel: number "12a4" contains "a"; a number holds digits, + * # and the separators - . ( ) and space',
    );
    const [entry] = await linksLog();
    assert.equal(entry?.raw, 'tel:12a4');
    assert.equal(entry.outcome, 'nothing was done');
  });

  it('cannot be used from a web page: no CORS, foreign origins refused', async () => {
    const { port, token } = JSON.parse(
      readFileSync(join(profile.dir, 'local-api.json'), 'utf8'),
    ) as { port: number; token: string };
    // Any web page on this computer, another port on loopback: it knows the port and even
    // the token, yet a preflighted fetch fails and a no-cors one is refused unread.
    const site = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<!doctype html><title>Some site</title>');
    });
    await new Promise<void>((listening) => site.listen(0, '127.0.0.1', listening));
    const address = site.address();
    const sitePort = typeof address === 'object' && address ? address.port : 0;
    const visitor = await browser.newPage();
    try {
      await visitor.goto(`http://127.0.0.1:${sitePort}/`);
      const outcome = await visitor.evaluate(
        async ({ port, token }) => {
          const url = `http://127.0.0.1:${port}/open`;
          const body = JSON.stringify({ link: 'tel:900' });
          const attempt = async (init: RequestInit) => {
            try {
              return (await fetch(url, init)).type;
            } catch (error) {
              return error instanceof TypeError ? 'failed' : 'other';
            }
          };
          return {
            cors: await attempt({
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body,
            }),
            simple: await attempt({ method: 'POST', mode: 'no-cors', body }),
          };
        },
        { port, token },
      );
      assert.equal(outcome.cors, 'failed');
      assert.ok(['opaque', 'failed'].includes(outcome.simple), outcome.simple);
    } finally {
      await visitor.close();
      site.close();
    }
    const log = await linksLog();
    assert.ok(!log.some((entry) => entry.raw === 'tel:900'));
    const refused = log.filter((entry) =>
      (entry.error ?? '').startsWith(`requests from web pages at http://127.0.0.1:${sitePort}`),
    );
    assert.ok(refused.length >= 1, JSON.stringify(log.slice(0, 3)));
  });

  it('asks before ending or forwarding a call, in every page; No changes nothing', async () => {
    assert.equal((await telephony(core, 'l=1&n=0612345678&a=e')).status, 200);
    const other = await livePage();
    try {
      const ended = await open('voispeed:D');
      assert.equal(ended.code, 0);
      assert.match(
        ended.stdout,
        /asked in the Comms Manager: End the call with 0612345678 on line 1\?/,
      );
      const name = 'End the call with 0612345678 on line 1?';
      await question(name).waitFor();
      await question(name, other).waitFor();
      await question(name, other).getByRole('button', { name: 'No', exact: true }).click();
      await question(name).waitFor({ state: 'detached' });
      await question(name, other).waitFor({ state: 'detached' });
      assert.equal((await probe.snapshot()).table.lines[0]?.call?.number, '0612345678');
    } finally {
      await other.close();
    }

    const forwarded = await open('voispeed: F 200');
    assert.equal(forwarded.code, 0);
    const transfer = question('Transfer the call with 0612345678 on line 1 to 200?');
    await transfer.waitFor();
    await transfer.getByRole('button', { name: 'Yes', exact: true }).click();
    // Yes asks the backend, which cannot transfer: it says so, and the call stays.
    await page
      .getByRole('alert')
      .filter({ hasText: 'Transfer is not available with the pbx-events extension type' })
      .waitFor();
    assert.equal((await probe.snapshot()).table.lines[0]?.call?.number, '0612345678');
    assert.equal((await telephony(core, 'l=1&a=t')).status, 200);
  });

  it('asks before dialing, naming the number, once "Ask before dialing links" is on', async () => {
    await page.getByRole('tab', { name: 'Settings' }).click();
    const settings = page.getByRole('tabpanel', { name: 'Settings' });
    await settings.getByLabel('Listen port', { exact: true }).fill(String(core.listenPort));
    await settings.getByLabel('Ask before dialing links', { exact: true }).check();
    await settings.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved' }).waitFor();

    const asked = await open('tel:+44 20 7946 0000');
    assert.equal(asked.code, 0);
    const call = question('Call +442079460000?');
    await call.waitFor();
    assert.match(await call.innerText(), /A tel: link asks to call \+442079460000/);
    await call.getByRole('button', { name: 'No', exact: true }).click();
    await call.waitFor({ state: 'detached' });
    const log = await linksLog();
    assert.equal(log[0]?.outcome, 'No: nothing was changed');
  });

  it('sets up the SIP account from a voispeed: link only on Yes, and Settings says so', async () => {
    const name = 'Set up the SIP account alpha39@tscomm.it from a link?';
    const first = await open(AUTOCONFIGURATION);
    assert.equal(first.code, 0);
    await question(name).waitFor();
    await question(name).getByRole('button', { name: 'No', exact: true }).click();
    await question(name).waitFor({ state: 'detached' });
    const unchanged = await probe.snapshot();
    assert.equal(unchanged.settings.extension.type, 'pbx-events');
    assert.deepEqual(unchanged.secretsSet, []);

    const second = await open(AUTOCONFIGURATION);
    assert.equal(second.code, 0);
    const dialog = question(name);
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /server wss:\/\/127\.0\.0\.1:8089\/ws/);
    const saved = probe.next('settings');
    await dialog.getByRole('button', { name: 'Yes', exact: true }).click();
    const view = await saved;
    assert.deepEqual(view.secretsSet, ['sip.password']);
    assert.equal(view.settings.extension.type, 'sip');

    // The page reloads for the new server's CSP; Settings then shows the account.
    await page.goto(core.url);
    await page.locator('.app[data-connection="live"]').waitFor();
    await page.getByRole('tab', { name: 'Settings' }).click();
    const settings = page.getByRole('tabpanel', { name: 'Settings' });
    await settings.locator('[data-set-up-from-link]').waitFor();
    assert.match(
      await settings.locator('[data-set-up-from-link]').innerText(),
      /This account was set up from a voispeed: link/,
    );
    assert.equal(await settings.getByLabel('Username', { exact: true }).inputValue(), 'alpha39');
    assert.equal(
      await settings.getByLabel('Server address', { exact: true }).inputValue(),
      'wss://127.0.0.1:8089/ws',
    );
    assert.equal(await settings.getByLabel('Display name', { exact: true }).inputValue(), '3939');
    assert.equal(await settings.getByLabel('Domain', { exact: true }).inputValue(), 'tscomm.it');
    assert.match(
      (await settings.getByLabel('Password', { exact: true }).getAttribute('placeholder')) ?? '',
      /saved/,
    );
    const everything = JSON.stringify(await probe.snapshot());
    assert.ok(!everything.includes(HASH), 'the hash never reaches a page');
    assert.ok(!readFileSync(join(profile.dir, 'settings.json'), 'utf8').includes(HASH));
  });

  it('is the desktop’s tel: handler after register-links: xdg-open hands the link over', async () => {
    const desktop = newProfileDir();
    try {
      const env = {
        ...process.env,
        HOME: desktop.dir,
        XDG_DATA_HOME: join(desktop.dir, 'data'),
        XDG_CONFIG_HOME: join(desktop.dir, 'config'),
        // xdg-open consults scheme handlers only with a display (DESIGN.md); none is used.
        DISPLAY: ':99',
        XDG_CURRENT_DESKTOP: 'X-Generic',
      };
      const registered = await run(
        process.execPath,
        [CLI, 'register-links', '--profile', profile.dir],
        env,
      );
      assert.equal(registered.code, 0, registered.stderr);
      const handler = await run('xdg-mime', ['query', 'default', 'x-scheme-handler/tel'], env);
      assert.equal(handler.stdout, 'callbridge-open.desktop');
      const logged = new Promise<LogEntry>((resolve) => {
        const off = probe.on('logEntry', (entry) => {
          if (entry.source === 'links' && entry.raw === 'tel:0301234') {
            off();
            resolve(entry);
          }
        });
      });
      await run('xdg-open', ['tel:0301234'], env);
      const entry = await logged;
      assert.equal(entry.reading, 'dial 0301234');
    } finally {
      desktop.remove();
    }
  });
});
