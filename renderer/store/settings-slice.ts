import type { StateCreator } from 'zustand/vanilla';
import type { BridgeError, ListenPortStatus, SettingsView } from '../../shared/bridge/contract.ts';
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
  applySettings(view: SettingsView): void;
  settingsSaving(): void;
  settingsSaved(view: SettingsView): void;
  settingsRejected(error: BridgeError): void;
}

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
export const selectListenPort = (state: App): ListenPortStatus | null =>
  state.settingsView?.listenPort ?? null;
export const selectExtensionType = (state: App): Settings['extensionType'] | null =>
  state.settingsView?.settings.extensionType ?? null;
export const selectSave = (state: App): SaveState => state.save;
