import { useCallback, useSyncExternalStore } from 'react';

/**
 * One shared clock for every running timer on screen, ticking only while
 * something shows a timer. Render stays pure: components read the time from here rather
 * than calling Date.now() themselves.
 */

/** Finer than a second so a timer never lags the true second by more than a quarter. */
const TICK_MS = 250;

let now = Date.now();
let timer: number | undefined;
const listeners = new Set<() => void>();

function tick(): void {
  now = Date.now();
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === undefined) {
    // React re-reads the snapshot after subscribing, so a stale `now` never shows.
    now = Date.now();
    timer = window.setInterval(tick, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      window.clearInterval(timer);
      timer = undefined;
    }
  };
}

/** Whole seconds since `since`, never negative; re-renders once a second, not once a tick. */
export function useSecondsSince(since: number): number {
  const getSeconds = useCallback(() => Math.max(0, Math.floor((now - since) / 1000)), [since]);
  return useSyncExternalStore(subscribe, getSeconds);
}

const getToday = () => new Date(now).toDateString();

/** Today's date as a string: re-renders once a day, not once a second. */
export function useToday(): string {
  return useSyncExternalStore(subscribe, getToday);
}
