import type { StateCreator } from 'zustand/vanilla';
import { LOG_CAPACITY, type LogEntry, type LogSource } from '../../shared/model/integration-log.ts';
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

/** What the integration log shows: everything, or one door's (or the SIP softphone's) entries. */
export type LogSourceFilter = LogSource | 'all';

// One filtered list per log array and door, so that the selector hands React the same
// array until the log itself changes (a fresh array each time would re-render forever).
const bySource = new WeakMap<readonly LogEntry[], Map<LogSource, readonly LogEntry[]>>();

/** Newest first, like the log; stable while the log is unchanged. */
export const selectLogFor =
  (source: LogSourceFilter) =>
  (state: App): readonly LogEntry[] => {
    const { log } = state;
    if (source === 'all') return log;
    const lists = bySource.get(log) ?? new Map<LogSource, readonly LogEntry[]>();
    bySource.set(log, lists);
    const cached = lists.get(source);
    if (cached) return cached;
    const list = log.filter((entry) => entry.source === source);
    lists.set(source, list);
    return list;
  };
