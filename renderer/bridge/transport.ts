import type { BridgeClient } from '../../shared/bridge/contract.ts';

/**
 * How the renderer reaches the core: Electron IPC through the preload façade, or the
 * browser target's WebSocket. Both hand out the same `BridgeClient`; the transport adds
 * only what the UI needs to know about the link itself.
 */
export interface TransportHandlers {
  /** The link is up (again); the core's state must be fetched afresh. */
  readonly onOpen: () => void;
  /** The link dropped; `attempt` counts the reconnects tried since it was last up. */
  readonly onDown: (attempt: number) => void;
}

export interface BridgeTransport {
  readonly kind: 'ipc' | 'websocket';
  readonly client: BridgeClient;
  start(handlers: TransportHandlers): void;
}

/** The error every invoke answers with while there is no link to the core. */
export const DISCONNECTED = {
  code: 'disconnected',
  message: 'Not connected to the Callbridge core; try again once it is back.',
} as const;
