import type { Command } from '../../shared/model/command.ts';
import type { CoreSnapshot, EventPayload } from '../../shared/bridge/contract.ts';
import { describeLine } from '../../shared/model/describe.ts';
import { err, ok } from '../../shared/result.ts';
import { BACKENDS } from './backends/registry.ts';
import { createBridgeHost } from './bridge-host.ts';
import type { Core, CoreOptions, IncomingCallAlert } from './core-api.ts';
import { IntegrationLog } from './integration-log.ts';
import { ListenPortService } from './listen-port-service.ts';
import { SettingsService } from './settings-service.ts';
import { Signal } from './signal.ts';
import { HistoryStore } from './store/history-store.ts';
import { SettingsStore, ensureProfileDir } from './store/settings-store.ts';
import { Switchboard } from './switchboard.ts';

const HISTORY_IN_SNAPSHOT = 200;

/**
 * Compose the core: settings, history, the switchboard with its backend, the doors, and
 * the bridge both hosts (Electron IPC, the browser target's WebSocket) route into.
 */
export async function createCore(options: CoreOptions): Promise<Core> {
  ensureProfileDir(options.profileDir);
  const warnings: string[] = [];
  const settingsStore = SettingsStore.open(options.profileDir);
  if (settingsStore.problem) warnings.push(settingsStore.problem);
  const opened = HistoryStore.open(options.profileDir, {
    onProblem: (message) => warnings.push(`History: ${message}`),
  });
  if (!opened.ok) throw new Error(opened.error);
  const history = opened.value;

  const initial = settingsStore.get();
  const log = new IntegrationLog();
  const switchboard = new Switchboard({
    lines: initial.lines,
    backend: BACKENDS[initial.extensionType],
    // Stored before the line goes idle anywhere: an acknowledged ended call is on disk.
    record: (record) => {
      try {
        history.add(record);
        return ok(null);
      } catch (error) {
        return err(error instanceof Error ? error.message : String(error));
      }
    },
  });
  const historyAdded = new Signal<EventPayload<'historyAdded'>>();
  switchboard.callEnded.on((record) => {
    historyAdded.emit(record);
  });

  const listenPort = new ListenPortService(log, (event) => {
    const result = switchboard.pushed(event);
    if (!result.ok) return result;
    const summary =
      event.kind === 'LineSelected'
        ? `line ${event.line} is selected`
        : describeLine(switchboard.table, event.line);
    return ok({ changed: result.value.changed, summary });
  });
  await listenPort.start(options.listenPort ?? initial.listenPort, {
    allowFrom: initial.listenAllowFrom,
    hostNames: initial.listenHostNames,
  });
  const portError = listenPort.status().error;
  if (portError) warnings.push(`Listen port: ${portError}`);
  const settings = new SettingsService(settingsStore, switchboard, listenPort);

  const bridge = createBridgeHost(
    {
      snapshot: () => {
        const snapshot: CoreSnapshot = {
          ...switchboard.view(),
          ...settings.view(),
          history: history.recent(HISTORY_IN_SNAPSHOT),
          log: log.recent(),
        };
        return Promise.resolve(ok(snapshot));
      },
      command: (command: Command) => switchboard.execute(command),
      saveSettings: (input: unknown) => settings.save(input),
    },
    {
      lines: switchboard.linesChanged,
      historyAdded,
      logEntry: log.added,
      settings: settings.changed,
    },
  );

  const incoming = new Signal<IncomingCallAlert>();
  switchboard.callRinging.on((alert) => {
    incoming.emit(alert);
  });

  return {
    bridge,
    warnings,
    onIncomingCall: (listener) => incoming.on(listener),
    listenPort: () => listenPort.status().port,
    async close() {
      await listenPort.close();
      await switchboard.close();
      history.close();
    },
  };
}
