import type { StateCreator } from 'zustand/vanilla';
import type { App } from './app-store.ts';

/**
 * The link to the core. Everything else in the store is a projection of the core's
 * events, so it is only current while the link is `live`.
 */
export type LinkState =
  /** First contact: nothing has been shown yet. */
  | 'connecting'
  /** Link up, snapshot requested. */
  | 'syncing'
  /** Snapshot applied; events keep the store current. */
  | 'live'
  /** The link dropped after having been up; what is shown may be stale. */
  | 'reconnecting';

export interface ConnectionSlice {
  readonly connection: {
    readonly transport: 'ipc' | 'websocket' | null;
    readonly state: LinkState;
    /** Reconnects tried since the link was last up. */
    readonly attempt: number;
    readonly everLive: boolean;
    /** Why the last snapshot failed, when it did. */
    readonly error: string | null;
  };
  readonly setTransport: (transport: 'ipc' | 'websocket') => void;
  readonly linkSyncing: () => void;
  readonly linkLive: () => void;
  readonly linkDown: (attempt: number) => void;
  readonly linkFailed: (message: string) => void;
}

export const createConnectionSlice: StateCreator<App, [], [], ConnectionSlice> = (set) => ({
  connection: { transport: null, state: 'connecting', attempt: 0, everLive: false, error: null },
  setTransport: (transport) => {
    set((s) => ({ connection: { ...s.connection, transport } }));
  },
  linkSyncing: () => {
    set((s) => ({ connection: { ...s.connection, state: 'syncing' } }));
  },
  linkLive: () => {
    set((s) => ({
      connection: { ...s.connection, state: 'live', attempt: 0, everLive: true, error: null },
    }));
  },
  linkDown: (attempt) => {
    set((s) => ({
      connection: {
        ...s.connection,
        state: s.connection.everLive ? 'reconnecting' : 'connecting',
        attempt,
      },
    }));
  },
  linkFailed: (message) => {
    set((s) => ({ connection: { ...s.connection, error: message } }));
  },
});

export const selectLinkState = (state: App): LinkState => state.connection.state;
export const selectLinkAttempt = (state: App): number => state.connection.attempt;
export const selectEverLive = (state: App): boolean => state.connection.everLive;
export const selectLinkError = (state: App): string | null => state.connection.error;
export const selectIsElectron = (state: App): boolean => state.connection.transport === 'ipc';
