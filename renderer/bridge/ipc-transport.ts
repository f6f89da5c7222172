import type { BridgeClient } from '../../shared/bridge/contract.ts';
import type { BridgeTransport } from './transport.ts';

declare global {
  interface Window {
    /** Electron's preload façade, built from the same contract map; absent in a browser. */
    readonly callbridge?: BridgeClient;
  }
}

/** Electron IPC cannot drop while the window lives, so the link is up from the start. */
export function ipcTransport(client: BridgeClient): BridgeTransport {
  return {
    kind: 'ipc',
    client,
    start(handlers) {
      handlers.onOpen();
    },
  };
}
