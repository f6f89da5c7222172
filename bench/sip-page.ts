import type { Browser, BrowserContext, Page } from 'playwright-core';
import { sipAccountSettings } from '../e2e/sip/account.ts';
import type { SipRig } from '../e2e/sip/rig.ts';
import { BridgeProbe } from '../e2e/support/bridge-probe.ts';
import { newProfileDir, type RunningCore } from '../e2e/support/serve.ts';
import { startInspectableCore } from './sip-memory.ts';

/**
 * The Comms Manager pages of the SIP benchmark: one core and one page each, in a browser
 * context of its own so that no page is a background tab, and what the page's header shows
 * about the SIP account, timed in the page itself.
 */

/** What the header's backend pill said, from when, in the machine's clock (ms). */
export interface Seen {
  /** Its data-state (ready, connecting, unavailable), `absent` while there is none, or `save` for a click on Save. */
  readonly state: string;
  readonly text: string;
  readonly at: number;
}

/**
 * Every change of the backend pill, and every click on a Save button, as the page saw
 * them: a MutationObserver installed before each load (Save of a new server reloads the
 * page), timing each change before it tells the bench through a binding.
 */
export class BackendWatch {
  readonly #seen: Seen[] = [];
  readonly #waiters = new Set<() => void>();

  private constructor() {}

  static async install(page: Page): Promise<BackendWatch> {
    const watch = new BackendWatch();
    await page.exposeFunction('benchBackendSeen', (state: string, text: string, at: number) => {
      watch.#seen.push({ state, text, at });
      for (const waiter of watch.#waiters) waiter();
    });
    await page.addInitScript(() => {
      const report = (state: string, text: string) => {
        const at = performance.timeOrigin + performance.now();
        (
          window as unknown as { benchBackendSeen: (s: string, t: string, at: number) => void }
        ).benchBackendSeen(state, text, at);
      };
      let last = '';
      new MutationObserver(() => {
        const pill = document.querySelector('[data-backend]');
        const state = pill?.getAttribute('data-state') ?? 'absent';
        const text = pill?.textContent ?? '';
        if (`${state}\n${text}` === last) return;
        last = `${state}\n${text}`;
        report(state, text);
      }).observe(document, {
        subtree: true,
        childList: true,
        attributes: true,
        characterData: true,
      });
      document.addEventListener(
        'click',
        (event) => {
          const button = event.target instanceof Element ? event.target.closest('button') : null;
          if (button?.textContent.trim() === 'Save') report('save', '');
        },
        { capture: true },
      );
    });
    return watch;
  }

  /** How many changes so far: `next(…, watch.mark())` waits for a later one. */
  mark(): number {
    return this.#seen.length;
  }

  /** The first change from index `from` on that `accepts`, and its index. */
  next(
    accepts: (seen: Seen) => boolean,
    what: string,
    from: number,
    timeoutMs = 30_000,
  ): Promise<{ readonly seen: Seen; readonly index: number }> {
    return new Promise((found, fail) => {
      const look = () => {
        const index = this.#seen.findIndex((seen, at) => at >= from && accepts(seen));
        const seen = this.#seen[index];
        if (seen === undefined) return false;
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        found({ seen, index });
        return true;
      };
      const waiter = () => {
        look();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        const lately = this.#seen.slice(from).map((seen) => `${seen.state}: ${seen.text}`);
        fail(new Error(`no ${what} within ${timeoutMs} ms; seen: ${lately.join(' / ')}`));
      }, timeoutMs);
      this.#waiters.add(waiter);
      look();
    });
  }
}

/** The pill says "Registered as sip:USER@…". */
export const registeredAs = (user: string) => (seen: Seen) =>
  seen.state === 'ready' && seen.text.includes(`Registered as sip:${user}@`);

export interface BenchPage {
  readonly core: RunningCore;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly probe: BridgeProbe;
  /** What the header shows, when opened with `watch: true`. */
  readonly watch: BackendWatch | null;
  close(): Promise<void>;
}

/**
 * A fresh profile, a core (inspectable, for its memory) and a Comms Manager page connected
 * to it, with a BackendWatch installed before it loads when `watch` is set. Whatever
 * started is stopped if a later step fails.
 */
export async function openPage(
  browser: Browser,
  options: { readonly watch?: boolean } = {},
): Promise<BenchPage> {
  // What has started, stopped last first by close() (once), also when a later step fails.
  const started: (() => unknown)[] = [];
  const close = async () => {
    for (const stop of started.splice(0).reverse()) await stop();
  };
  try {
    const profile = newProfileDir();
    started.push(() => {
      profile.remove();
    });
    const core = await startInspectableCore(profile.dir);
    started.push(() => core.stop());
    const context = await browser.newContext();
    started.push(() => context.close());
    const page = await context.newPage();
    const watch = options.watch === true ? await BackendWatch.install(page) : null;
    await page.goto(core.url);
    await page.locator('.app[data-connection="live"]').waitFor();
    const probe = await BridgeProbe.connect(core);
    started.push(() => {
      probe.close();
    });
    return { core, context, page, probe, watch, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A page whose engine is registered as `user`, its account saved over the bridge. */
export async function openPhone(rig: SipRig, browser: Browser, user: string): Promise<BenchPage> {
  const phone = await openPage(browser);
  try {
    const saved = await phone.probe.invoke(
      'saveSettings',
      sipAccountSettings(rig, user, rig.password(user)),
    );
    if (!saved.ok) throw new Error(`saveSettings: ${JSON.stringify(saved.error)}`);
    // Saving a new server reloads the page to the CSP that allows it; then it registers.
    await phone.page
      .locator('[data-backend][data-state="ready"]')
      .filter({ hasText: `Registered as sip:${user}@` })
      .waitFor({ timeout: 15_000 });
    return phone;
  } catch (error) {
    await phone.close();
    throw error;
  }
}

/** The Settings tab's panel, opened. */
export async function settingsPanel(page: Page) {
  await page.getByRole('tab', { name: 'Settings' }).click();
  return page.getByRole('tabpanel', { name: 'Settings' });
}

/** A field of the Settings panel by its label. */
export const field = (panel: Awaited<ReturnType<typeof settingsPanel>>, label: string) =>
  panel.getByLabel(label, { exact: true });
