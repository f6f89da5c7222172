import { appStore, type AppStore } from '../store/app-store.ts';
import type { BridgeTransport } from './transport.ts';

/**
 * Makes the store a projection of the core: the snapshot each time the link comes up,
 * then the event stream. Listeners are registered once and survive reconnects.
 */
export function connectStore(
  transport: BridgeTransport,
  store: AppStore = appStore,
  reloadPage: () => void = () => {
    globalThis.location.reload();
  },
): void {
  const {
    addHistory,
    addLogEntry,
    applyDoors,
    applyLines,
    applyPrompts,
    applySettings,
    applySnapshot,
    linkDown,
    linkFailed,
    linkLive,
    linkSyncing,
    setTransport,
  } = store.getState();
  const { client } = transport;
  setTransport(transport.kind);
  client.on('lines', applyLines);
  client.on('historyAdded', addHistory);
  client.on('logEntry', addLogEntry);
  // The page's CSP admits the connect sources it was served with, no others: when the SIP
  // server changes, the page must load again to reach the new one. (Calls cannot be up:
  // the extension cannot change while they are.)
  let servedWith: string | null = null;
  const followPolicy = (sources: readonly string[]) => {
    const key = sources.join(' ');
    if (servedWith === null) servedWith = key;
    else if (key !== servedWith) reloadPage();
  };
  client.on('settings', (view) => {
    applySettings(view);
    followPolicy(view.connectSources);
  });
  client.on('doors', applyDoors);
  client.on('prompts', applyPrompts);

  // Only the newest link's snapshot may land: a reply from before a drop is stale.
  let generation = 0;
  transport.start({
    onOpen: () => {
      generation += 1;
      const mine = generation;
      linkSyncing();
      void client.invoke('snapshot', null).then((result) => {
        if (mine !== generation) return;
        if (result.ok) {
          applySnapshot(result.value);
          followPolicy(result.value.connectSources);
          linkLive();
        } else {
          linkFailed(result.error.message);
        }
      });
    },
    onDown: (attempt) => {
      generation += 1;
      linkDown(attempt);
    },
  });
}
