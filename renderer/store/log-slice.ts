import type { StateCreator } from 'zustand/vanilla';
import type { DoorId } from '../../shared/doors/registry.ts';
import { LOG_CAPACITY, type LogEntry } from '../../shared/model/integration-log.ts';
import type { App } from './app-store.ts';
import { prependNewest } from './newest-first.ts';

export interface LogSlice {
  /** Newest first, at most LOG_CAPACITY entries. */
  readonly log: readonly LogEntry[];
  readonly addLogEntry: (entry: LogEntry) => void;
}

/** The log as a snapshot sends it, cut to what the store keeps. */
export const logReplaced = (log: readonly LogEntry[]): Pick<App, 'log'> => ({
  log: log.slice(0, LOG_CAPACITY),
});

export const createLogSlice: StateCreator<App, [], [], LogSlice> = (set) => ({
  log: [],
  addLogEntry: (entry) => {
    set((state) => ({ log: prependNewest(state.log, entry, LOG_CAPACITY) }));
  },
});

export const selectLog = (state: App): readonly LogEntry[] => state.log;

/** What the integration log shows: every door's entries, or one door's. */
export type LogDoorFilter = DoorId | 'all';

// One filtered list per log array and door, so that the selector hands React the same
// array until the log itself changes (a fresh array each time would re-render forever).
const byDoor = new WeakMap<readonly LogEntry[], Map<DoorId, readonly LogEntry[]>>();

/** Newest first, like the log; stable while the log is unchanged. */
export const selectLogFor =
  (door: LogDoorFilter) =>
  (state: App): readonly LogEntry[] => {
    const { log } = state;
    if (door === 'all') return log;
    const lists = byDoor.get(log) ?? new Map<DoorId, readonly LogEntry[]>();
    byDoor.set(log, lists);
    const cached = lists.get(door);
    if (cached) return cached;
    // Widened: while there is one door, the compiler knows the answer; the filter is for more.
    const wanted: string = door;
    const list = log.filter((entry) => entry.door === wanted);
    lists.set(door, list);
    return list;
  };
