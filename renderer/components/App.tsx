import { useApp } from '../store/app-store.ts';
import { selectLinkState } from '../store/connection-slice.ts';
import { DesktopNotifier } from './alert/DesktopNotifier.tsx';
import { IncomingCallAlert } from './alert/IncomingCallAlert.tsx';
import { IncomingCallToast } from './alert/IncomingCallToast.tsx';
import { HistoryPanel } from './history/HistoryPanel.tsx';
import { LinesPanel } from './lines/LinesPanel.tsx';
import { LogPanel } from './log/LogPanel.tsx';
import { PromptDialogs } from './prompts/PromptDialog.tsx';
import { SettingsPanel } from './settings/SettingsPanel.tsx';
import { AppHeader } from './shell/AppHeader.tsx';
import { ConnectionBanner } from './shell/ConnectionBanner.tsx';
import { SettingsProblemBanner } from './shell/SettingsProblemBanner.tsx';
import { Tabs, type TabDefinition } from './shell/Tabs.tsx';

const TABS: readonly TabDefinition[] = [
  { id: 'history', label: 'History', panel: <HistoryPanel /> },
  { id: 'log', label: 'Integration log', panel: <LogPanel /> },
  { id: 'settings', label: 'Settings', panel: <SettingsPanel /> },
];

/**
 * The receptionist's view: lines and the incoming-call alert are always on screen; the
 * history, the integration log and settings share the space beside them.
 */
export function App() {
  const link = useApp(selectLinkState);
  return (
    <div className="app" data-connection={link}>
      <AppHeader />
      <main className="app-main">
        <ConnectionBanner />
        <SettingsProblemBanner />
        <IncomingCallAlert />
        <PromptDialogs />
        <div className="workspace">
          <LinesPanel />
          <section className="panel side-panel" aria-label="Activity and settings">
            <Tabs tabs={TABS} label="Activity and settings" />
          </section>
        </div>
        <IncomingCallToast />
      </main>
      <DesktopNotifier />
    </div>
  );
}
