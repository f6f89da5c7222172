import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser } from 'playwright-core';
import type { SipRig } from '../e2e/sip/rig.ts';
import { now } from './sip-stats.ts';
import {
  field,
  openPage,
  registeredAs,
  settingsPanel,
  type BackendWatch,
  type BenchPage,
} from './sip-page.ts';

/**
 * How long until the header says "Registered" again, as a person sees it:
 *
 * - cold: a fresh profile and page, the account typed into Settings; from the click on
 *   Save (in the page's clock) to the pill saying "Registered as sip:USER@…". The first
 *   save of a server reloads the page for its Content-Security-Policy, so this includes a
 *   page load, a new WebSocket to Kamailio and the digest round trip.
 * - warm: the same page, Display name changed, Save again. Any change of the account
 *   replaces the backend, so the engine unregisters and registers anew; timed from the
 *   click to "Registered" after the pill has left it.
 * - Kamailio back: Kamailio stops (SIGTERM) and starts again on the same ports; from the
 *   moment it answers its control socket (rig.restart resolved) to "Registered" again.
 *   Nothing is clicked: JsSIP reconnects by itself, so this figure is its reconnect
 *   backoff (connection_recovery_min_interval 2 s, doubling at random up to 30 s) less
 *   however long Kamailio was away. A longer outage shows that backoff at work.
 */

export interface RegisterFigures {
  readonly cold: readonly number[];
  readonly warm: readonly number[];
  readonly restart: readonly number[];
  /** How long each short outage lasted as the page saw it: the pill leaving "Registered" to Kamailio back. */
  readonly restartAway: readonly number[];
  readonly outage: readonly number[];
  readonly outageMs: number;
}

export async function benchRegistration(
  rig: SipRig,
  browser: Browser,
  options: {
    readonly user: string;
    readonly repeats: number;
    readonly outageRepeats: number;
    readonly outageMs: number;
  },
): Promise<RegisterFigures> {
  const { user } = options;
  const registered = registeredAs(user);
  const cold: number[] = [];
  let last: { page: BenchPage; watch: BackendWatch } | null = null;
  try {
    for (let run = 0; run < options.repeats; run++) {
      await last?.page.close();
      last = null;
      // No earlier page's contact may answer for this one: a clean location table each time.
      await rig.unregister(user);
      const page = await openPage(browser, { watch: true });
      const { watch } = page;
      if (!watch) throw new Error('the page has no watch');
      last = { page, watch };
      const panel = await settingsPanel(page.page);
      await field(panel, 'Extension type').selectOption({ label: 'SIP softphone' });
      await field(panel, 'Server address').fill(rig.wsUrl);
      await field(panel, 'Username').fill(user);
      await field(panel, 'Password').fill(rig.password(user));
      await field(panel, 'Domain').fill(rig.domain);
      const from = watch.mark();
      await panel.getByRole('button', { name: 'Save' }).click();
      const clicked = await watch.next((seen) => seen.state === 'save', 'the click on Save', from);
      const done = await watch.next(registered, 'Registered', clicked.index);
      cold.push(done.seen.at - clicked.seen.at);
    }
    if (!last) throw new Error('no page to go on with');
    const { page, watch } = last;

    const warm: number[] = [];
    for (let run = 0; run < options.repeats; run++) {
      const panel = await settingsPanel(page.page);
      await field(panel, 'Display name').fill(`Bench ${run}`);
      const from = watch.mark();
      await panel.getByRole('button', { name: 'Save' }).click();
      const clicked = await watch.next((seen) => seen.state === 'save', 'the click on Save', from);
      const left = await watch.next((seen) => !registered(seen), 'a new registration', from);
      const done = await watch.next(registered, 'Registered again', left.index);
      warm.push(done.seen.at - clicked.seen.at);
    }

    const restart: number[] = [];
    const restartAway: number[] = [];
    for (let run = 0; run < options.repeats; run++) {
      const from = watch.mark();
      await rig.restart();
      const back = now();
      const left = await watch.next((seen) => !registered(seen), 'registration lost', from);
      const done = await watch.next(registered, 'Registered again', left.index);
      restart.push(done.seen.at - back);
      restartAway.push(back - left.seen.at);
    }

    const outage: number[] = [];
    for (let run = 0; run < options.outageRepeats; run++) {
      const from = watch.mark();
      await rig.kill();
      await watch.next((seen) => !registered(seen), 'registration lost', from);
      // The outage itself: Kamailio stays away this long on purpose.
      await sleep(options.outageMs);
      const mark = watch.mark();
      await rig.restart();
      const back = now();
      const done = await watch.next(registered, 'Registered again', mark, 60_000);
      outage.push(done.seen.at - back);
    }
    return { cold, warm, restart, restartAway, outage, outageMs: options.outageMs };
  } finally {
    await last?.page.close();
  }
}
