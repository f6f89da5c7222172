import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { createConnectionSlice, type ConnectionSlice } from './connection-slice.ts';
import { createHistorySlice, type HistorySlice } from './history-slice.ts';
import { createLinesSlice, type LinesSlice } from './lines-slice.ts';
import { createLogSlice, type LogSlice } from './log-slice.ts';
import { createSettingsSlice, type SettingsSlice } from './settings-slice.ts';

/**
 * The renderer's one store: a projection of the core's event stream, never a second
 * source of truth. It is vanilla so that code outside React (the bridge wiring, the SIP
 * engine) can update it through the actions in `actions.ts`.
 */
export type App = LinesSlice & HistorySlice & LogSlice & SettingsSlice & ConnectionSlice;

export const createAppStore = () =>
  createStore<App>()((...slice) => ({
    ...createLinesSlice(...slice),
    ...createHistorySlice(...slice),
    ...createLogSlice(...slice),
    ...createSettingsSlice(...slice),
    ...createConnectionSlice(...slice),
  }));

export const appStore = createAppStore();

/** The bound hook. Selectors live next to their slice and return primitives or go through `useShallow`. */
export function useApp<T>(selector: (state: App) => T): T {
  return useStore(appStore, selector);
}
