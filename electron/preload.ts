import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  BRIDGE,
  isEventName,
  isInvokeName,
  type BridgeClient,
  type BridgeResult,
  type EventName,
  type EventPayload,
  type InvokeName,
  type InvokeRequest,
  type InvokeResponse,
} from '../shared/bridge/contract.ts';

/**
 * The whole of what the page gets: `window.callbridge`, a `BridgeClient` built from the
 * contract map. Names are checked here (the page may pass anything) and the request is
 * checked again in main. No Electron object, event or `ipcRenderer` reaches the page.
 *
 * `DOCUMENT` tells main which document is asking: this script runs afresh for each one,
 * and the page cannot read or forge it. Main sends it back with events meant for one page
 * only (the SIP engine's), and those carrying another document's id are dropped.
 */

const DOCUMENT = Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) =>
  byte.toString(16).padStart(2, '0'),
).join('');

const callbridge: BridgeClient = {
  async invoke<K extends InvokeName>(
    name: K,
    request: InvokeRequest<K>,
  ): Promise<BridgeResult<InvokeResponse<K>>> {
    if (!isInvokeName(name)) {
      return {
        ok: false,
        error: { code: 'unknown-channel', message: `no such call: ${String(name)}` },
      };
    }
    try {
      return (await ipcRenderer.invoke(BRIDGE[name].channel, request, DOCUMENT)) as BridgeResult<
        InvokeResponse<K>
      >;
    } catch {
      // Only when main has no handler (starting up or shutting down).
      return { ok: false, error: { code: 'unavailable', message: 'the core is not answering' } };
    }
  },
  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void) {
    if (!isEventName(name)) throw new TypeError(`no such event: ${String(name)}`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const { channel, kind } = BRIDGE[name];
    const forward = (_event: IpcRendererEvent, payload: EventPayload<K>, document?: unknown) => {
      if (kind === 'page-event' && document !== DOCUMENT) return;
      listener(payload);
    };
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
};

contextBridge.exposeInMainWorld('callbridge', callbridge);
