import { useCallback, useState } from 'react';
import type { InvokeRequest } from '../../../shared/bridge/contract.ts';
import { useBridge } from '../../bridge/context.ts';

export type CommandRequest = InvokeRequest<'command'>;

/**
 * Sends one Command to the core and keeps its refusal for display. The line table is not
 * touched here: whatever the command does comes back as a `lines` event.
 */
export function useCommand() {
  const bridge = useBridge();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const send = useCallback(
    async (command: CommandRequest): Promise<boolean> => {
      setPending(true);
      setError(null);
      const result = await bridge.invoke('command', command);
      setPending(false);
      if (!result.ok) setError(result.error.message);
      return result.ok;
    },
    [bridge],
  );

  return { send, error, pending };
}
