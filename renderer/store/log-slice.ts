import type { StateCreator } from 'zustand/vanilla';
import { LOG_CAPACITY, type LogEntry } from '../../shared/model/integration-log.ts';
import type { App } from './app-store.ts';

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
    set((state) =>
      state.log.some((row) => row.id === entry.id)
        ? state
        : { log: [entry, ...state.log].slice(0, LOG_CAPACITY) },
    );
  },
});

export const selectLog = (state: App): readonly LogEntry[] => state.log;
export const selectLogCount = (state: App): number => state.log.length;
