import type { StateCreator } from 'zustand/vanilla';
import type { HistoryRecord } from '../../shared/model/line-table.ts';
import type { App } from './app-store.ts';
import { prependNewest } from './newest-first.ts';

/** The store keeps the newest calls only; the core's database keeps the rest. */
export const HISTORY_CAPACITY = 500;

export interface HistorySlice {
  /** Newest first. */
  readonly history: readonly HistoryRecord[];
  readonly addHistory: (record: HistoryRecord) => void;
}

/** The history as a snapshot sends it, cut to what the store keeps. */
export const historyReplaced = (history: readonly HistoryRecord[]): Pick<App, 'history'> => ({
  history: history.slice(0, HISTORY_CAPACITY),
});

export const createHistorySlice: StateCreator<App, [], [], HistorySlice> = (set) => ({
  history: [],
  addHistory: (record) => {
    set((state) => ({ history: prependNewest(state.history, record, HISTORY_CAPACITY) }));
  },
});

export const selectHistory = (state: App): readonly HistoryRecord[] => state.history;
