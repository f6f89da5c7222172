import type { CoreSnapshot } from '../../shared/bridge/contract.ts';
import { LOG_CAPACITY } from '../../shared/model/integration-log.ts';
import { appStore, type App } from './app-store.ts';
import { HISTORY_CAPACITY } from './history-slice.ts';

/**
 * Module-level actions, for code outside React. Each slice's own actions are stable
 * functions, so these simply reach them through the store.
 */

const state = () => appStore.getState();

/** Replaces every projection in one update (one render), after (re)connecting. */
export function applySnapshot(snapshot: CoreSnapshot): void {
  const { table, capabilities, settings, listenPort, history, log } = snapshot;
  appStore.setState((current) => ({
    linesView: { table, capabilities },
    settingsView: { settings, listenPort },
    history: history.slice(0, HISTORY_CAPACITY),
    log: log.slice(0, LOG_CAPACITY),
    // A save that was in flight when the link dropped will never be answered.
    save: current.save.status === 'saving' ? { status: 'idle' } : current.save,
  }));
}

export const applyLines: App['applyLines'] = (view) => {
  state().applyLines(view);
};
export const addHistory: App['addHistory'] = (record) => {
  state().addHistory(record);
};
export const addLogEntry: App['addLogEntry'] = (entry) => {
  state().addLogEntry(entry);
};
export const applySettings: App['applySettings'] = (view) => {
  state().applySettings(view);
};
export const settingsSaving: App['settingsSaving'] = () => {
  state().settingsSaving();
};
export const settingsSaved: App['settingsSaved'] = (view) => {
  state().settingsSaved(view);
};
export const settingsRejected: App['settingsRejected'] = (error) => {
  state().settingsRejected(error);
};
export const setTransport: App['setTransport'] = (transport) => {
  state().setTransport(transport);
};
export const linkSyncing: App['linkSyncing'] = () => {
  state().linkSyncing();
};
export const linkLive: App['linkLive'] = () => {
  state().linkLive();
};
export const linkDown: App['linkDown'] = (attempt) => {
  state().linkDown(attempt);
};
export const linkFailed: App['linkFailed'] = (message) => {
  state().linkFailed(message);
};
