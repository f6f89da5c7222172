import { after, afterEach, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { Call } from '../../shared/model/line-table.ts';
import { launchChromium } from '../support/browser.ts';
import { sipAccountSettings } from './account.ts';
import { dial, historyRow, startPhone, waitForLine, type Phone } from './comms-manager.ts';
import { DtmfLog } from './dtmf-log.ts';
import type { BridgeRequest, Frame } from './page-wire.ts';
import { startRig, type SipRig } from './rig.ts';

/**
 * What the call-controls e2e suites share (e2e/sip-call-controls.test.ts,
 * e2e/sip-transfer.test.ts): the users, the rig with two Comms Manager pages, and helpers
 * that act and look as a person does.
 */

export const USER = '1001';
/** A second Comms Manager: the far end wherever media must really flow. */
export const OTHER = '1002';
/** The far end that is transferred: sipp, or a WebSocket SIP phone. */
export const FAR_END = '1003';
/** Where a transfer sends it. */
export const TARGET = '1004';
/** A sipp that calls in. */
export const CALLER = '1005';

export const lineCard = (page: Page, line: number) => page.locator(`li[data-line="${line}"]`);

export const reportsOf = (phone: Phone, from: number) =>
  phone.bridge
    .frames()
    .slice(from)
    .filter((frame) => frame.value.name === 'engineReport')
    .map((frame) => JSON.stringify(frame.value.request));

/** The state of a registration report the page sent to the core, or null for any other frame. */
export function registrationState(frame: Frame<BridgeRequest>): string | null {
  const { name, request } = frame.value;
  if (name !== 'engineReport' || typeof request !== 'object' || request === null) return null;
  if (!('registration' in request)) return null;
  const { registration } = request;
  if (typeof registration !== 'object' || registration === null) return null;
  return 'state' in registration && typeof registration.state === 'string'
    ? registration.state
    : null;
}

/**
 * Saves the account again with the default keypad tones (RFC 4733; startPhone picks SIP
 * INFO). The core restarts the engine with a new account: it has taken it once it reports
 * registered again.
 */
export async function useDefaultDtmf(phone: Phone, rig: SipRig, user: string): Promise<void> {
  const mark = phone.bridge.mark();
  const saved = await phone.probe.invoke(
    'saveSettings',
    sipAccountSettings(rig, user, rig.password(user)),
  );
  assert.ok(saved.ok, JSON.stringify(saved));
  const registered = (frame: Frame<BridgeRequest>) => registrationState(frame) === 'registered';
  await phone.bridge.next(registered, 'registered again', { after: mark, timeoutMs: 15_000 });
}

/** Each call has its history row, answered: a transferred call was a call that happened. */
export async function answeredInHistory(page: Page, ...calls: readonly Call[]): Promise<void> {
  for (const call of calls) assert.equal((await historyRow(page, call)).outcome, 'answered');
}

/** `from` dials `callee`, whose page (`to`) answers the alert: both calls are up on line 1. */
export async function callAndAnswer(from: Page, to: Phone, callee: string, caller: string) {
  await dial(from, callee);
  const alert = to.page.getByRole('alert', { name: 'Incoming call' });
  await alert.filter({ hasText: caller }).waitFor({ timeout: 10_000 });
  await alert.getByRole('button', { name: 'Answer line 1', exact: true }).click();
  await waitForLine(from, 1, 'established');
  await waitForLine(to.page, 1, 'established');
}

/** The rig, the browser and the two Comms Manager pages every call-controls suite uses. */
export interface ControlsRig {
  readonly rig: SipRig;
  readonly browser: Browser;
  /** USER's Comms Manager, with RFC 4733 keypad tones. */
  readonly phone: Phone;
  /** OTHER's: the far end wherever media must really flow. */
  readonly other: Phone;
  readonly dtmf: DtmfLog;
}

/**
 * Registers the suite's hooks (call inside `describe`, before the suite's own `before`):
 * Kamailio with rtpengine and a DTMF log, Chromium, USER's and OTHER's pages; after each
 * test every call left up is dropped, so a test that failed half-way leaves nothing behind.
 */
export function callControlsRig(): () => ControlsRig {
  let ready: ControlsRig | null = null;
  /** What `before` started, last first: all of it is ended even if `before` failed half-way. */
  const started: (() => Promise<unknown>)[] = [];

  before(async () => {
    const dtmf = await DtmfLog.open();
    started.unshift(() => dtmf.close());
    const rig = await startRig({ rtpengine: true, dtmfLogPort: dtmf.port });
    started.unshift(() => rig.stop());
    const browser = await launchChromium();
    started.unshift(() => browser.close());
    const phone = await startPhone(rig, browser, USER);
    started.unshift(() => phone.close());
    await useDefaultDtmf(phone, rig, USER);
    const other = await startPhone(rig, browser, OTHER);
    started.unshift(() => other.close());
    ready = { rig, browser, phone, other, dtmf };
  });

  afterEach(async () => {
    if (ready === null) return;
    for (const each of [ready.phone, ready.other]) {
      const { lines } = (await each.probe.snapshot()).table;
      for (const { line, call } of lines) {
        if (call === null) continue;
        await each.probe.invoke('command', { kind: 'Drop', line });
        await waitForLine(each.page, line, 'idle');
      }
    }
  });

  after(async () => {
    for (const stop of started) await stop();
  });

  return () => {
    if (ready === null) throw new Error('the call-controls rig did not start');
    return ready;
  };
}
