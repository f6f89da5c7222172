import type { StateCreator } from 'zustand/vanilla';
import type { HistoryRecord } from '../../shared/model/line-table.ts';
import type { App } from './app-store.ts';

/** The store keeps the newest calls only; the core's database keeps the rest. */
export const HISTORY_CAPACITY = 500;

export interface HistorySlice {
  /** Newest first. */
  readonly history: readonly HistoryRecord[];
  replaceHistory(history: readonly HistoryRecord[]): void;
  addHistory(record: HistoryRecord): void;
}

export const createHistorySlice: StateCreator<App, [], [], HistorySlice> = (set) => ({
  history: [],
  replaceHistory: (history) => {
    set({ history: history.slice(0, HISTORY_CAPACITY) });
  },
  addHistory: (record) => {
    set((state) =>
      // An event racing the snapshot that already holds it must not show the call twice.
      state.history.some((row) => row.id === record.id)
        ? state
        : { history: [record, ...state.history].slice(0, HISTORY_CAPACITY) },
    );
  },
});

export const selectHistory = (state: App): readonly HistoryRecord[] => state.history;
export const selectHistoryCount = (state: App): number => state.history.length;
