import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BridgeContext } from './bridge/context.ts';
import { chooseTransport } from './bridge/choose.ts';
import { connectStore } from './bridge/connect-store.ts';
import { App } from './components/App.tsx';
import { NoTokenPage } from './components/shell/NoTokenPage.tsx';
import { startEngineHost } from './sip/engine-host.ts';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');
const root = createRoot(container);

// The transport is chosen once per page: the preload's IPC or the core's WebSocket.
const choice = chooseTransport();
if (choice.kind === 'no-token') {
  root.render(
    <StrictMode>
      <NoTokenPage />
    </StrictMode>,
  );
} else {
  connectStore(choice.transport);
  // The SIP engine is a plain module beside the store, never React state.
  startEngineHost(choice.transport.client);
  root.render(
    <StrictMode>
      <BridgeContext value={choice.transport.client}>
        <App />
      </BridgeContext>
    </StrictMode>,
  );
}
