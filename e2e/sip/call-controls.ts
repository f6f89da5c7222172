import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Call } from '../../shared/model/line-table.ts';
import { dial, historyRow, waitForLine, type Phone } from './comms-manager.ts';
import type { DtmfLog } from './dtmf-log.ts';
import { phoneRig, type PhoneRig } from './phone-rig.ts';

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
export interface ControlsRig extends PhoneRig {
  /** OTHER's: the far end wherever media must really flow. */
  readonly other: Phone;
  readonly dtmf: DtmfLog;
}

/**
 * Registers the suite's hooks (call inside `describe`, before the suite's own `before`):
 * Kamailio with rtpengine and a DTMF log, USER's page with RFC 4733 keypad tones, OTHER's.
 */
export function callControlsRig(): () => ControlsRig {
  const ready = phoneRig({ user: USER, rfc4733: true, farUser: OTHER, dtmfLog: true });
  return () => {
    const { other, dtmf, ...rest } = ready();
    if (other === null || dtmf === null) throw new Error('the call-controls rig is incomplete');
    return { ...rest, other, dtmf };
  };
}
