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
 */

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
      return (await ipcRenderer.invoke(BRIDGE[name].channel, request)) as BridgeResult<
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
    const { channel } = BRIDGE[name];
    const forward = (_event: IpcRendererEvent, payload: EventPayload<K>) => {
      listener(payload);
    };
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
};

contextBridge.exposeInMainWorld('callbridge', callbridge);
