import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { createConnectionSlice, type ConnectionSlice } from './connection-slice.ts';
import { createDoorsSlice, type DoorsSlice } from './doors-slice.ts';
import { createHistorySlice, type HistorySlice } from './history-slice.ts';
import { createLinesSlice, type LinesSlice } from './lines-slice.ts';
import { createLogSlice, type LogSlice } from './log-slice.ts';
import { createPromptsSlice, type PromptsSlice } from './prompts-slice.ts';
import { createSettingsSlice, type SettingsSlice } from './settings-slice.ts';
import { createSnapshotSlice, type SnapshotSlice } from './snapshot-slice.ts';

/**
 * The renderer's one store: a projection of the core's event stream, never a second
 * source of truth. It is vanilla so that code outside React (the bridge wiring, the SIP
 * engine) calls its actions directly: `const { applyLines } = appStore.getState()`.
 * Actions are arrow functions created once with the store, so they can be taken out and kept.
 */
export type App = LinesSlice &
  DoorsSlice &
  HistorySlice &
  LogSlice &
  PromptsSlice &
  SettingsSlice &
  ConnectionSlice &
  SnapshotSlice;

export const createAppStore = () =>
  createStore<App>()((...slice) => ({
    ...createLinesSlice(...slice),
    ...createDoorsSlice(...slice),
    ...createHistorySlice(...slice),
    ...createLogSlice(...slice),
    ...createPromptsSlice(...slice),
    ...createSettingsSlice(...slice),
    ...createConnectionSlice(...slice),
    ...createSnapshotSlice(...slice),
  }));

export type AppStore = ReturnType<typeof createAppStore>;

export const appStore: AppStore = createAppStore();

/** The bound hook. Selectors live next to their slice and return primitives or go through `useShallow`. */
export function useApp<T>(selector: (state: App) => T): T {
  return useStore(appStore, selector);
}
