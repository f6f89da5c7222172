import type { StateCreator } from 'zustand/vanilla';
import { LOG_CAPACITY, type LogEntry } from '../../shared/model/integration-log.ts';
import type { App } from './app-store.ts';
import { prependNewest } from './newest-first.ts';

export interface LogSlice {
  /** Newest first, at most LOG_CAPACITY entries. */
  readonly log: readonly LogEntry[];
  replaceLog(log: readonly LogEntry[]): void;
  addLogEntry(entry: LogEntry): void;
}

export const createLogSlice: StateCreator<App, [], [], LogSlice> = (set) => ({
  log: [],
  replaceLog: (log) => {
    set({ log: log.slice(0, LOG_CAPACITY) });
  },
  addLogEntry: (entry) => {
    set((state) => ({ log: prependNewest(state.log, entry, LOG_CAPACITY) }));
  },
});

export const selectLog = (state: App): readonly LogEntry[] => state.log;
