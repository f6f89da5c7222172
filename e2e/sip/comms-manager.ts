import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { Call } from '../../shared/model/line-table.ts';
import { BridgeProbe } from '../support/bridge-probe.ts';
import { newProfileDir, startCore, type RunningCore } from '../support/serve.ts';
import { sipAccountSettings } from './account.ts';
import {
  isRequest,
  watchBridge,
  watchSip,
  type BridgeRequest,
  type FrameLog,
} from './page-wire.ts';
import { keepPeerConnections } from './peer-stats.ts';
import type { SipRig } from './rig.ts';
import type { SipMessage } from './sip-message.ts';
import type { SippResult } from './sipp.ts';

/**
 * The steps of sip-calls.test.ts: a Comms Manager page registered through the rig, what
 * a person does on it (dial, press a button) and what it shows (a line's state, a history
 * row), and sipp's ends as the test reads them.
 */

export const explain = (result: SippResult) => `${result.errors}\n${result.output.slice(-2000)}`;

export const received = (result: SippResult, method: string) =>
  result.messages.filter(
    (message) => message.direction === 'received' && message.startLine.startsWith(`${method} `),
  );

export const statusesReceived = (result: SippResult) =>
  result.messages
    .filter((message) => message.direction === 'received' && message.startLine.startsWith('SIP/'))
    .map((message) => message.startLine);

/** A sipp run that must have gone to its scenario's end. */
export async function ranThrough(run: Promise<SippResult>): Promise<SippResult> {
  const result = await run;
  assert.equal(result.exitCode, 0, explain(result));
  return result;
}

/** The calling sipp ran to its end and got `statusLine` (`SIP/2.0 486 Busy Here`). */
export async function callerGot(calling: Promise<SippResult>, statusLine: string): Promise<void> {
  const caller = await ranThrough(calling);
  assert.ok(statusesReceived(caller).includes(statusLine), explain(caller));
}

/** One core serving one Comms Manager page, its engine registered as `user`. */
export interface Phone {
  readonly core: RunningCore;
  readonly page: Page;
  readonly probe: BridgeProbe;
  readonly sip: FrameLog<SipMessage>;
  readonly bridge: FrameLog<BridgeRequest>;
  close(): Promise<void>;
}

export async function startPhone(rig: SipRig, browser: Browser, user: string): Promise<Phone> {
  const profile = newProfileDir();
  const core = await startCore(profile.dir);
  let probe: BridgeProbe | undefined;
  const context = await browser.newContext();
  const close = async () => {
    probe?.close();
    await context.close();
    await core.stop();
    profile.remove();
  };
  try {
    probe = await BridgeProbe.connect(core);
    const page = await context.newPage();
    await keepPeerConnections(page);
    const sip = watchSip(page, rig.wsUrl);
    const bridge = watchBridge(page);
    await page.goto(core.url);
    await page.locator('.app[data-connection="live"]').waitFor();
    // "Keypad tones: SIP INFO", so that the far end's trace shows each digit.
    const settings = sipAccountSettings(rig, user, rig.password(user), { dtmf: 'info' });
    const saved = await probe.invoke('saveSettings', settings);
    assert.ok(saved.ok, JSON.stringify(saved));
    // Saving a new server reloads the page to the CSP that allows it; then it registers.
    await page
      .locator('[data-backend][data-state="ready"]')
      .filter({ hasText: `Registered as sip:${user}@` })
      .waitFor({ timeout: 15_000 });
    return { core, page, probe, sip, bridge, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Waits until the line card of `line` shows `state`. */
export const waitForLine = (page: Page, line: number, state: string) =>
  page.locator(`[data-line="${line}"][data-state="${state}"]`).waitFor({ timeout: 15_000 });

/** The call the core's line table has on `line` now. */
export async function callOn(phone: Phone, line: number): Promise<Call> {
  const call = (await phone.probe.snapshot()).table.lines[line - 1]?.call;
  assert.ok(call, `line ${line} has no call`);
  return call;
}

/** The history row of `call`, once the call has ended: its outcome and its cells. */
export async function historyRow(page: Page, call: Call) {
  const row = page
    .getByRole('table', { name: 'Call history' })
    .locator(`tr[data-call-id="${call.id}"]`);
  await row.waitFor({ timeout: 10_000 });
  const cells = await row.locator('td').allInnerTexts();
  return { outcome: await row.getAttribute('data-outcome'), cells: cells.map((c) => c.trim()) };
}

/** Dials `number` the way a person does: the Number field, then Call. */
export async function dial(page: Page, number: string): Promise<void> {
  await page.getByLabel('Number', { exact: true }).fill(number);
  await page.getByRole('button', { name: 'Call', exact: true }).click();
}

export const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

/** The page's next re-INVITE and the ACK it sends for its 200: the offer is settled. */
export async function settledReinvite(phone: Phone, from: number): Promise<SipMessage> {
  const reinvite = await phone.sip.next(
    (frame) =>
      frame.direction === 'sent' &&
      isRequest('INVITE')(frame) &&
      (frame.value.header('to') ?? '').includes(';tag='),
    'a re-INVITE from the page',
    { after: from },
  );
  const cseq = Number.parseInt(reinvite.value.header('cseq') ?? '', 10);
  await phone.sip.next(
    (frame) =>
      frame.direction === 'sent' &&
      isRequest('ACK')(frame) &&
      frame.value.header('cseq') === `${cseq} ACK`,
    `the ACK for re-INVITE ${cseq}`,
    { after: from },
  );
  return reinvite.value;
}
