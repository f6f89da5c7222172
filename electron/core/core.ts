import {
  BRIDGE,
  type BridgeHost,
  type BridgeResult,
  type CoreSnapshot,
  type EventName,
  type EventPayload,
  type InvokeName,
  type InvokeResponse,
  type SettingsView,
} from '../../shared/bridge/contract.ts';
import { describeLine } from '../../shared/model/describe.ts';
import { SettingsSchema, settingsFieldErrors, type Settings } from '../../shared/model/settings.ts';
import { err, ok } from '../../shared/result.ts';
import { BACKENDS } from './backends/registry.ts';
import type { Core, CoreOptions, IncomingCallAlert } from './core-api.ts';
import { IntegrationLog } from './integration-log.ts';
import { ListenPortService } from './listen-port-service.ts';
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
  const settingsStore = SettingsStore.open(options.profileDir);
  const opened = HistoryStore.open(options.profileDir);
  if (!opened.ok) throw new Error(opened.error);
  const history = opened.value;
  const warnings: string[] = settingsStore.problem ? [settingsStore.problem] : [];

  let settings = settingsStore.get();
  const log = new IntegrationLog();
  const switchboard = new Switchboard({
    lines: settings.lines,
    backend: BACKENDS[settings.extensionType],
  });
  const historyAdded = new Signal<EventPayload<'historyAdded'>>();
  const settingsChanged = new Signal<SettingsView>();

  // Written before the line goes idle on screen: an ended call is in the database first.
  switchboard.callEnded.on((record) => {
    history.add(record);
    historyAdded.emit(record);
  });

  const listenPort = new ListenPortService(log, (event) => {
    const result = switchboard.pushed(event);
    if (!result.ok) return result;
    return ok({
      changed: result.value.changed,
      summary:
        event.kind === 'LineSelected'
          ? `line ${event.line} is selected`
          : describeLine(switchboard.table, event.line),
    });
  });
  await listenPort.start(options.listenPort ?? settings.listenPort, {
    allowFrom: settings.listenAllowFrom,
    hostNames: settings.listenHostNames,
  });
  const portError = listenPort.status().error;
  if (portError) warnings.push(`Listen port: ${portError}`);

  const settingsView = (): SettingsView => ({ settings, listenPort: listenPort.status() });

  async function saveSettings(input: unknown): Promise<BridgeResult<SettingsView>> {
    const parsed = SettingsSchema.safeParse(input);
    if (!parsed.success) {
      const fields = settingsFieldErrors(parsed.error);
      return err({ code: 'invalid-settings', message: 'Some settings are not valid', fields });
    }
    const next: Settings = parsed.data;
    const refuse = (field: keyof Settings, message: string) =>
      err({ code: 'invalid-settings', message, fields: [{ field, message }] });

    const resized = switchboard.canResize(next.lines);
    if (!resized.ok) return refuse('lines', resized.error.message);
    // Object.is rather than !==: with one extension type today the compiler calls it constant.
    const typeChanged = !Object.is(next.extensionType, settings.extensionType);
    if (typeChanged && switchboard.table.lines.some((line) => line.call)) {
      return refuse(
        'extensionType',
        'end the calls in progress before changing the extension type',
      );
    }
    const port = await listenPort.prepare(settings, next);
    if (!port.ok) return refuse('listenPort', port.error);
    const saved = settingsStore.save(next);
    if (!saved.ok) {
      await port.value.rollback();
      return err({
        code: 'invalid-settings',
        message: 'Settings could not be saved',
        fields: saved.error,
      });
    }
    await port.value.commit();
    if (typeChanged) await switchboard.replaceBackend(BACKENDS[next.extensionType]);
    switchboard.resize(next.lines);
    settings = saved.value;
    settingsChanged.emit(settingsView());
    return ok(settingsView());
  }

  const handlers: {
    [K in InvokeName]: (request: unknown) => Promise<BridgeResult<InvokeResponse<K>>>;
  } = {
    snapshot: () => {
      const snapshot: CoreSnapshot = {
        ...switchboard.view(),
        ...settingsView(),
        history: history.recent(HISTORY_IN_SNAPSHOT),
        log: log.recent(),
      };
      return Promise.resolve(ok(snapshot));
    },
    command: (request) => {
      const command = BRIDGE.command.request.safeParse(request);
      if (!command.success) {
        return Promise.resolve(
          err({
            code: 'invalid-request',
            message: command.error.issues[0]?.message ?? 'not a command',
          }),
        );
      }
      return switchboard.execute(command.data);
    },
    saveSettings,
  };

  const streams: { [K in EventName]: Signal<EventPayload<K>> } = {
    lines: switchboard.linesChanged,
    historyAdded,
    logEntry: log.added,
    settings: settingsChanged,
  };

  const bridge: BridgeHost = {
    invoke: <K extends InvokeName>(name: K, request: unknown) => {
      const handler = handlers[name] as
        ((request: unknown) => Promise<BridgeResult<InvokeResponse<K>>>) | undefined;
      if (!handler)
        return Promise.resolve(
          err({ code: 'unknown-channel', message: `unknown channel ${name}` }),
        );
      return handler(request);
    },
    on: <K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void) =>
      (streams[name] as Signal<EventPayload<K>>).on(listener),
  };

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
