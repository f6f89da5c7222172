import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { IntegraSettings } from '../shared/doors/integra.ts';
import type { CallEvent } from '../shared/model/call-event.ts';
import type { LogEntry } from '../shared/model/integration-log.ts';
import type { Settings } from '../shared/model/settings.ts';
import { INTEGRA_EVENT_NAMES } from '../shared/protocols/integra.ts';
import { BridgeProbe } from './support/bridge-probe.ts';
import { launchChromium } from './support/browser.ts';
import { newProfileDir, startCore, telephony, type RunningCore } from './support/serve.ts';

/**
 * Integra against the real core (`callbridge serve`): settings saved over the bridge, calls
 * pushed through the listen port (and reported by a SIP engine, played by a bridge page), and
 * a real sh script that writes the argv it was given to a file.
 */

const posix = process.platform !== 'win32';
const TIME = /^\d{2}\/\d{2}\/\d{4}_\d{2}\.\d{2}\.\d{2}$/;

/** A folder with `record.sh`, which writes its arguments after the first, NUL-separated, to the first. */
function hooks() {
  const dir = mkdtempSync(join(tmpdir(), 'callbridge-integra-'));
  const record = join(dir, 'record argv.sh');
  writeFileSync(
    record,
    '#!/bin/sh\nout="$1"; shift\nfor a in "$@"; do printf "%s\\0" "$a"; done > "$out"\n',
  );
  const hang = join(dir, 'hang.sh');
  writeFileSync(hang, '#!/bin/sh\necho "waiting for the CRM" >&2\nsleep 60\n');
  for (const file of [record, hang]) chmodSync(file, 0o755);
  /** The template: one argv file per call and event, named by the call's id. */
  const template = `"${record}" "${dir}/run-!05-!02" !01 !02 !04 !05`;
  const argv = (callId: string, event: string): string[] =>
    readFileSync(join(dir, `run-${callId}-${event}`), 'utf8')
      .split('\0')
      .slice(0, -1);
  return { dir, hang, template, argv, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every Integra run the log reports, as it arrives: `run(...)` waits for a matching one. */
function integraRuns(probe: BridgeProbe) {
  const seen: LogEntry[] = [];
  const waiters = new Set<{ match: (entry: LogEntry) => boolean; done: (e: LogEntry) => void }>();
  probe.on('logEntry', (entry) => {
    if (entry.source !== 'integra') return;
    seen.push(entry);
    for (const waiter of waiters) {
      if (!waiter.match(entry)) continue;
      waiters.delete(waiter);
      waiter.done(entry);
    }
  });
  return {
    seen,
    /** The first run (already logged or still to come) for `event` of the call `callId`. */
    run(event: string, callId: string, timeoutMs = 15_000): Promise<LogEntry> {
      const match = (entry: LogEntry) =>
        entry.session === `call ${callId}` && entry.outcome.startsWith(`${event} `);
      const found = seen.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          done: (entry: LogEntry) => {
            clearTimeout(timer);
            resolve(entry);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no ${event} run for call ${callId} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
  };
}

async function save(probe: BridgeProbe, change: (settings: Settings) => Settings): Promise<void> {
  const { settings } = await probe.snapshot();
  const saved = await probe.invoke('saveSettings', change(settings));
  assert.ok(saved.ok, JSON.stringify(saved));
}

const withIntegra =
  (section: Partial<IntegraSettings>) =>
  (settings: Settings): Settings => ({
    ...settings,
    doors: {
      ...settings.doors,
      integra: { ...settings.doors.integra, enabled: true, ...section },
    },
  });

describe('Integra runs a real script on call events', { skip: !posix && 'POSIX sh' }, () => {
  const profile = newProfileDir();
  const scripts = hooks();
  let core: RunningCore;
  let probe: BridgeProbe;
  let runs: ReturnType<typeof integraRuns>;

  before(async () => {
    core = await startCore(profile.dir);
    probe = await BridgeProbe.connect(core);
    runs = integraRuns(probe);
  });

  after(async () => {
    probe.close();
    await core.stop();
    profile.remove();
    scripts.remove();
  });

  /** The id of the call on `line` now. */
  const callOn = async (line: number): Promise<string> => {
    const call = (await probe.snapshot()).table.lines[line - 1]?.call;
    assert.ok(call, `no call on line ${line}`);
    return call.id;
  };

  it('hands a listen-port call to the script with the exact values, and logs each run', async () => {
    await save(
      probe,
      withIntegra({ command: scripts.template, events: ['CALL_IN', 'CALL_CLOSE'] }),
    );
    const number = '+39 (02) 616 * #';
    const pushed = await telephony(core, `l=2&n=${encodeURIComponent(number)}&a=i&i=Datos`);
    assert.equal(pushed.status, 200);
    const callId = await callOn(2);
    const ran = await runs.run('CALL_IN', callId);
    const [remote, event, time, id, ...rest] = scripts.argv(callId, 'CALL_IN');
    assert.deepEqual([remote, event, id, rest], [number, 'CALL_IN', callId, []]);
    assert.match(time ?? '', TIME);
    const [day, month, year, hour, minute, second] = (time ?? '').split(/[/_.]/).map(Number);
    const at = new Date(year ?? 0, (month ?? 1) - 1, day, hour, minute, second).getTime();
    assert.ok(Math.abs(Date.now() - at) < 60_000, `${time ?? ''} is not about now`);
    assert.equal(ran.error, null);
    assert.equal(ran.reading, `CALL_IN for the inbound call with ${number} on line 2`);
    assert.match(ran.outcome, /^CALL_IN ran \[.*\]: exit status 0 after \d+ ms$/);

    assert.equal((await telephony(core, 'l=2&a=t')).status, 200);
    await runs.run('CALL_CLOSE', callId);
    assert.equal(scripts.argv(callId, 'CALL_CLOSE')[1], 'CALL_CLOSE');
    // The snapshot's log lists both runs too, newest first.
    const { log, history } = await probe.snapshot();
    const listed = log.filter((entry) => entry.source === 'integra');
    assert.deepEqual(
      listed.map((entry) => entry.outcome.split(' ')[0]),
      ['CALL_CLOSE', 'CALL_IN'],
    );
    assert.equal(history[0]?.id, callId);
  });

  it('kills a hanging command at its time limit and says so in the log', async () => {
    await save(probe, withIntegra({ command: `${scripts.hang} !01`, timeLimitSeconds: 1 }));
    assert.equal((await telephony(core, 'l=1&n=026161616&a=i')).status, 200);
    const callId = await callOn(1);
    const killed = await runs.run('CALL_IN', callId);
    assert.equal(killed.error, 'killed at the time limit of 1000 ms');
    assert.match(
      killed.outcome,
      /^CALL_IN ran \[".*hang\.sh","026161616"\]: killed at the time limit of 1000 ms after 1\d{3} ms; stderr: waiting for the CRM$/,
    );
    assert.equal((await telephony(core, 'l=1&a=t')).status, 200);
  });

  it('keeps hostile caller numbers from a SIP engine as single inert arguments', async () => {
    const canary = join(scripts.dir, 'pwned');
    const hostile = [
      '"; rm -rf ~ #',
      '$(reboot)',
      '`reboot`',
      `$(touch ${canary})`,
      `; touch ${canary}`,
      `\`touch ${canary}\``,
      `" && touch ${canary} && "`,
      `' ; touch ${canary} ; '`,
    ];
    // This bridge page plays the Comms Manager that hosts the SIP engine: it answers the
    // core's requests and reports the calls JsSIP would, with the caller's user part as the
    // number. A SIP user part may hold ; $ ( ) and more, unlike a listen-port NO.
    const engine = await BridgeProbe.connect(core);
    try {
      engine.on('engine', ({ id }) => {
        void engine.invoke('engineReply', { id, result: { ok: true, value: null } });
      });
      const report = async (event: CallEvent) => {
        const sent = await engine.invoke('engineReport', { kind: 'call', event });
        assert.ok(sent.ok, JSON.stringify(sent));
      };
      await save(probe, (settings) => ({
        ...withIntegra({ command: scripts.template, events: ['CALL_IN'], timeLimitSeconds: 10 })(
          settings,
        ),
        extension: {
          type: 'sip',
          server: 'ws://127.0.0.1:9/ws',
          username: '201',
          displayName: '',
          authUser: '',
          domain: 'pbx.test',
          outboundProxy: '',
          register: false,
          registerExpires: 600,
          dtmf: 'rfc4733',
        },
      }));
      const offered = await engine.invoke('engineOffer', null);
      assert.ok(offered.ok && offered.value.hosting, JSON.stringify(offered));
      assert.equal((await probe.snapshot()).backend.type, 'sip');
      for (const [index, number] of hostile.entries()) {
        const ref = `hostile-${index}`;
        await report({ kind: 'Incoming', line: 1, ref, number, callerId: number });
        const callId = await callOn(1);
        await runs.run('CALL_IN', callId);
        assert.deepEqual(scripts.argv(callId, 'CALL_IN').slice(0, 2), [number, 'CALL_IN']);
        await report({ kind: 'Terminated', line: 1, ref });
      }
      assert.equal(existsSync(canary), false, 'a hostile value reached a shell');
    } finally {
      engine.close();
    }
  });
});

/** The section in the Comms Manager's Settings, as a screen reader (and a user) finds it. */
describe('Integra settings in the Comms Manager', () => {
  const profile = newProfileDir();
  let core: RunningCore;
  let browser: Browser;

  before(async () => {
    core = await startCore(profile.dir);
    browser = await launchChromium();
  });

  after(async () => {
    await browser.close();
    await core.stop();
    profile.remove();
  });

  it('labels every control and shows a bad command’s error next to the field', async () => {
    const page = await browser.newPage();
    await page.goto(core.url);
    await page.locator('.app[data-connection="live"]').waitFor();
    await page.getByRole('tab', { name: 'Settings' }).click();
    const settings = page.getByRole('tabpanel', { name: 'Settings' });
    const section = settings.getByRole('group', { name: 'Integra', exact: true });
    for (const name of ['Enable Integra', 'Only on external calls', ...INTEGRA_EVENT_NAMES]) {
      await section.getByRole('checkbox', { name, exact: true }).waitFor();
    }
    for (const name of [
      'Longest internal number (digits)',
      'Time limit (seconds)',
      'Commands at once',
    ]) {
      await section.getByRole('spinbutton', { name, exact: true }).waitFor();
    }
    assert.equal(
      await section.getByRole('checkbox', { name: 'Enable Integra' }).isChecked(),
      false,
    );
    assert.equal(await section.getByRole('checkbox', { name: 'CALL_IN' }).isChecked(), true);

    await section.getByRole('checkbox', { name: 'Enable Integra' }).check();
    const command = section.getByRole('textbox', { name: 'Command to be performed', exact: true });
    await command.fill('/usr/bin/logger "!01');
    await settings.getByRole('button', { name: 'Save' }).click();
    await command.and(page.locator('[aria-invalid="true"]')).waitFor();
    const describedBy = (await command.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(' ').find((id) => id.endsWith('-error')) ?? '';
    assert.match(
      await page.locator(`[id="${errorId}"]`).innerText(),
      /^Command to be performed is not valid: the double quote is not closed at character 17$/,
    );
    const probe = await BridgeProbe.connect(core);
    try {
      assert.equal((await probe.snapshot()).settings.doors.integra.enabled, false);
    } finally {
      probe.close();
    }
  });
});
