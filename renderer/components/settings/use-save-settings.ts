import { useCallback } from 'react';
import { useBridge } from '../../bridge/context.ts';
import { useApp } from '../../store/app-store.ts';

/** Nothing changes on screen until the core has accepted and applied the settings. */
export function useSaveSettings() {
  const bridge = useBridge();
  // Actions never change, so these selections never re-render.
  const settingsSaving = useApp((state) => state.settingsSaving);
  const settingsSaved = useApp((state) => state.settingsSaved);
  const settingsRejected = useApp((state) => state.settingsRejected);
  return useCallback(
    async (request: Record<string, unknown>) => {
      settingsSaving();
      const result = await bridge.invoke('saveSettings', request);
      if (result.ok) settingsSaved(result.value);
      else settingsRejected(result.error);
    },
    [bridge, settingsSaving, settingsSaved, settingsRejected],
  );
}
