import { createContext, useContext } from 'react';
import type { BridgeClient } from '../../shared/bridge/contract.ts';

/** Components reach the core only through this, never through a transport directly. */
export const BridgeContext = createContext<BridgeClient | null>(null);

export function useBridge(): BridgeClient {
  const bridge = useContext(BridgeContext);
  if (!bridge) throw new Error('useBridge needs a BridgeContext provider');
  return bridge;
}
