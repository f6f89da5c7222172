import type { Page } from 'playwright-core';

/**
 * The ring tone a page plays, for tests of Silence. The engine's Ringer plays a looped
 * HTMLAudioElement marked `data-sip-ringer="ring"` (or `"waiting"`) that is never put in
 * the document, so no selector finds it. This wraps the page's
 * `HTMLMediaElement.prototype.play` (test code in the test's browser, never the app's) so
 * that every element the page plays is kept on `window`, where its `paused` state and
 * its clock can be read. Call once the page has loaded and before the call rings; a
 * reload undoes it.
 */

const KEPT = '__callbridgeTestPlayedMedia';

export async function watchRingTone(page: Page): Promise<void> {
  await page.evaluate((kept: string) => {
    const holder = window as unknown as Record<string, Set<HTMLMediaElement> | undefined>;
    if (holder[kept] !== undefined) return;
    const played = new Set<HTMLMediaElement>();
    holder[kept] = played;
    const prototype = HTMLMediaElement.prototype;
    const { play } = Object.getOwnPropertyDescriptors(prototype);
    const original: unknown = play.value;
    if (typeof original !== 'function') throw new Error('HTMLMediaElement has no play()');
    prototype.play = function keepAndPlay(this: HTMLMediaElement): Promise<void> {
      played.add(this);
      return Reflect.apply(original, this, []) as Promise<void>;
    };
  }, KEPT);
}

/**
 * Waits until the ring tone `mode` is audibly playing (not paused and its clock moving)
 * or, with `playing: false`, until no element of that mode plays any more.
 */
export async function waitForRingTone(
  page: Page,
  mode: 'ring' | 'waiting',
  playing: boolean,
  timeoutMs = 10_000,
): Promise<void> {
  await page.waitForFunction(
    ({ kept, wanted, on }) => {
      const played = (window as unknown as Record<string, Set<HTMLMediaElement> | undefined>)[kept];
      const tones = [...(played ?? [])].filter((media) => media.dataset['sipRinger'] === wanted);
      const sounding = tones.some((media) => !media.paused && media.currentTime > 0);
      return on ? sounding : tones.length > 0 && !sounding;
    },
    { kept: KEPT, wanted: mode, on: playing },
    { timeout: timeoutMs, polling: 100 },
  );
}
