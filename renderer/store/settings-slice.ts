import type { StateCreator } from 'zustand/vanilla';
import type { BridgeError, SettingsView } from '../../shared/bridge/contract.ts';
import type { FieldError, Settings } from '../../shared/model/settings.ts';
import type { App } from './app-store.ts';

/**
 * Settings as the core holds them, and how the last save went. A save changes nothing
 * here until the core accepts it: the core's answer is the truth, field errors included.
 */
export type SaveState =
  | { readonly status: 'idle' }
  | { readonly status: 'saving' }
  | { readonly status: 'saved' }
  | {
      readonly status: 'failed';
      readonly message: string;
      readonly fields: readonly FieldError[];
    };

export interface SettingsSlice {
  /** Null until the first snapshot arrives. */
  readonly settingsView: SettingsView | null;
  readonly save: SaveState;
  readonly applySettings: (view: SettingsView) => void;
  readonly settingsSaving: () => void;
  readonly settingsSaved: (view: SettingsView) => void;
  readonly settingsRejected: (error: BridgeError) => void;
}

/**
 * Settings as a snapshot sends them after (re)connecting. A save that was in flight when
 * the link dropped will never be answered, so it no longer shows as saving.
 */
export const settingsResynced = (
  state: App,
  view: SettingsView,
): Pick<App, 'settingsView' | 'save'> => ({
  settingsView: view,
  save: state.save.status === 'saving' ? { status: 'idle' } : state.save,
});

export const createSettingsSlice: StateCreator<App, [], [], SettingsSlice> = (set) => ({
  settingsView: null,
  save: { status: 'idle' },
  applySettings: (view) => {
    set({ settingsView: view });
  },
  settingsSaving: () => {
    set({ save: { status: 'saving' } });
  },
  settingsSaved: (view) => {
    set({ settingsView: view, save: { status: 'saved' } });
  },
  settingsRejected: (error) => {
    set({
      save: { status: 'failed', message: error.message, fields: error.fields ?? [] },
    });
  },
});

export const selectSettings = (state: App): Settings | null => state.settingsView?.settings ?? null;
/** Why the saved settings could not be used, until a save replaces them. */
export const selectSettingsProblem = (state: App): string | null =>
  state.settingsView?.problem ?? null;
export const selectSave = (state: App): SaveState => state.save;

/** Whether a write-only secret (the SIP password) is saved; the page never sees the secret. */
export const selectSecretSet =
  (name: string) =>
  (state: App): boolean =>
    state.settingsView?.secretsSet.includes(name) ?? false;
