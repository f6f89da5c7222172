import { useCallback } from 'react';
import { useBridge } from '../../bridge/context.ts';
import { settingsRejected, settingsSaved, settingsSaving } from '../../store/actions.ts';

/** Nothing changes on screen until the core has accepted and applied the settings. */
export function useSaveSettings() {
  const bridge = useBridge();
  return useCallback(
    async (request: Record<string, unknown>) => {
      settingsSaving();
      const result = await bridge.invoke('saveSettings', request);
      if (result.ok) settingsSaved(result.value);
      else settingsRejected(result.error);
    },
    [bridge],
  );
}
