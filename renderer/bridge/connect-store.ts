import { appStore, type AppStore } from '../store/app-store.ts';
import type { BridgeTransport } from './transport.ts';

/**
 * Makes the store a projection of the core: the snapshot each time the link comes up,
 * then the event stream. Listeners are registered once and survive reconnects.
 */
export function connectStore(transport: BridgeTransport, store: AppStore = appStore): void {
  const {
    addHistory,
    addLogEntry,
    applyDoors,
    applyLines,
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
  client.on('settings', applySettings);
  client.on('doors', applyDoors);

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
