import { ipcTransport } from './ipc-transport.ts';
import type { BridgeTransport } from './transport.ts';
import { bridgeUrl, websocketTransport } from './websocket-transport.ts';

export type TransportChoice =
  | { readonly kind: 'ready'; readonly transport: BridgeTransport }
  /** Browser target opened without the `#token=` that `callbridge serve` prints. */
  | { readonly kind: 'no-token' };

/** The token travels in the fragment, which the browser never sends to any server. */
export function readToken(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token && token.trim() !== '' ? token.trim() : null;
}

/** Electron's preload façade when present, otherwise the core's WebSocket. */
export function chooseTransport(): TransportChoice {
  if (window.callbridge) return { kind: 'ready', transport: ipcTransport(window.callbridge) };
  const token = readToken(window.location.hash);
  if (!token) return { kind: 'no-token' };
  return { kind: 'ready', transport: websocketTransport(bridgeUrl(window.location, token)) };
}
