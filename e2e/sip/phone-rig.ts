import { after, afterEach, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { sipAccountSettings } from './account.ts';
import { startPhone, waitForLine, type Phone } from './comms-manager.ts';
import { DtmfLog } from './dtmf-log.ts';
import type { BridgeRequest, Frame } from './page-wire.ts';
import { startRig, type SipRig } from './rig.ts';

/**
 * The SIP e2e suites' common ground: Kamailio with rtpengine, Chromium, and a registered
 * Comms Manager (a second one and rtpengine's DTMF log when asked), started once per suite
 * and stopped whatever happened; after each test, every call left up is dropped, so a test
 * that failed half-way leaves nothing to the next one.
 */

export interface PhoneRigOptions {
  /** Whose Comms Manager the suite drives. */
  readonly user: string;
  /** Register it with the default keypad tones (RFC 4733) instead of startPhone's SIP INFO. */
  readonly rfc4733?: boolean;
  /** A second Comms Manager, registered as this user: a far end where media must flow. */
  readonly farUser?: string;
  /** rtpengine reports the DTMF it sees to a log the suite reads. */
  readonly dtmfLog?: boolean;
}

export interface PhoneRig {
  readonly rig: SipRig;
  readonly browser: Browser;
  readonly phone: Phone;
  readonly other: Phone | null;
  readonly dtmf: DtmfLog | null;
}

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

/** Registers the suite's hooks (call inside `describe`); the getter answers once `before` ran. */
export function phoneRig(options: PhoneRigOptions): () => PhoneRig {
  let ready: PhoneRig | null = null;
  /** What `before` started, last first: all of it is ended even if `before` failed half-way. */
  const started: (() => Promise<unknown>)[] = [];

  before(async () => {
    const dtmf = options.dtmfLog === true ? await DtmfLog.open() : null;
    if (dtmf) started.unshift(() => dtmf.close());
    const rig = await startRig({
      rtpengine: true,
      ...(dtmf ? { dtmfLogPort: dtmf.port } : {}),
    });
    started.unshift(() => rig.stop());
    const browser = await launchChromium();
    started.unshift(() => browser.close());
    const phone = await startPhone(rig, browser, options.user);
    started.unshift(() => phone.close());
    if (options.rfc4733 === true) await useDefaultDtmf(phone, rig, options.user);
    const far = options.farUser;
    const other = far === undefined ? null : await startPhone(rig, browser, far);
    if (other) started.unshift(() => other.close());
    ready = { rig, browser, phone, other, dtmf };
  });

  afterEach(async () => {
    if (ready === null) return;
    for (const each of [ready.phone, ready.other]) {
      if (each === null) continue;
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
    if (ready === null) throw new Error('the SIP phone rig did not start');
    return ready;
  };
}
