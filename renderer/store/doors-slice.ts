import type { StateCreator } from 'zustand/vanilla';
import type { DoorStatus, DoorsView } from '../../shared/bridge/contract.ts';
import type { DoorId } from '../../shared/doors/registry.ts';
import type { App } from './app-store.ts';

/** Every door as it is (listening, off, failed), as the core last said; null until it has. */
export interface DoorsSlice {
  readonly doors: DoorsView | null;
  readonly applyDoors: (view: DoorsView) => void;
}

export const createDoorsSlice: StateCreator<App, [], [], DoorsSlice> = (set) => ({
  doors: null,
  applyDoors: (view) => {
    set({ doors: view });
  },
});

export const selectDoorStatus =
  (door: DoorId) =>
  (state: App): DoorStatus | null =>
    state.doors?.[door] ?? null;
export const selectDoors = (state: App): DoorsView | null => state.doors;
