import type { StateCreator } from 'zustand/vanilla';
import type { CoreSnapshot } from '../../shared/bridge/contract.ts';
import type { App } from './app-store.ts';
import { historyReplaced } from './history-slice.ts';
import { linesApplied } from './lines-slice.ts';
import { logReplaced } from './log-slice.ts';
import { settingsResynced } from './settings-slice.ts';

/** The one action that spans every slice: the core's whole state after (re)connecting. */
export interface SnapshotSlice {
  readonly applySnapshot: (snapshot: CoreSnapshot) => void;
}

export const createSnapshotSlice: StateCreator<App, [], [], SnapshotSlice> = (set) => ({
  applySnapshot: ({
    table,
    capabilities,
    backend,
    settings,
    problem,
    secretsSet,
    connectSources,
    doors,
    history,
    log,
    prompts,
  }) => {
    // One update, so one render: the page never shows one slice fresh and another stale.
    set((state) => ({
      ...linesApplied(state, { table, capabilities, backend }),
      ...settingsResynced(state, { settings, problem, secretsSet, connectSources }),
      ...historyReplaced(history),
      ...logReplaced(log),
      doors,
      prompts,
    }));
  },
});
