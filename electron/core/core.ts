import { DOOR_IDS, DOOR_LABELS } from '../../shared/doors/registry.ts';
import type { Command } from '../../shared/model/command.ts';
import type { PromptAnswer } from '../../shared/model/prompt.ts';
import type { CoreSnapshot, EventPayload } from '../../shared/bridge/contract.ts';
import { countryOf } from '../../shared/protocols/phone-number.ts';
import { err, ok } from '../../shared/result.ts';
import { createBackend } from './backends/registry.ts';
import { createBridgeHost } from './bridge-host.ts';
import type { Core, CoreOptions, IncomingCallAlert } from './core-api.ts';
import { DoorSet } from './doors/door-set.ts';
import { EngineHost } from './engine-host.ts';
import { IntegrationLog } from './integration-log.ts';
import { PromptDesk } from './prompts.ts';
import { SettingsService, type BackendMaker } from './settings-service.ts';
import { Signal } from './signal.ts';
import { HistoryStore } from './store/history-store.ts';
import { openFileSecretStore } from './store/secret-store.ts';
import { SettingsStore, ensureProfileDir } from './store/settings-store.ts';
import { Switchboard } from './switchboard.ts';
import { systemOpener } from './system-open.ts';

const HISTORY_IN_SNAPSHOT = 200;
/** One fsync this often while a call is up: what an interrupted call's length can be off by. */
const HEARTBEAT_MS = 30_000;

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
  // Calls that were on a line when the last run stopped without ending them.
  const interrupted = history.recoverInterrupted(Date.now());
  if (interrupted.length > 0) {
    warnings.push(
      `History: ${interrupted.length} call(s) still on a line when Callbridge last stopped were recorded as interrupted`,
    );
  }

  const secrets = await openFileSecretStore(options.profileDir, options.secretCodec);
  if (secrets.problem) warnings.push(`Secrets: ${secrets.problem}`);

  const initial = settingsStore.get();
  const log = new IntegrationLog();
  // One for the core's lifetime: pages offer to host whichever backend is active.
  const engine = new EngineHost();
  const openExternal = options.openExternal ?? systemOpener();
  const backendFor: BackendMaker = (extension, report) =>
    createBackend(extension, {
      report,
      secrets,
      engine,
      log,
      openExternal,
      isSelfTelHandler: options.isSelfTelHandler,
    });
  const switchboard = new Switchboard({
    lines: initial.lines,
    defaultCountry: countryOf(initial.defaultCountry),
    backend: (report) => backendFor(initial.extension, report),
    // Stored before anyone is told: an acknowledged call is on disk, ended or still on
    // its line (and then found as interrupted after a crash).
    journal: ({ line, call, ended }) => {
      try {
        history.atomically(() => {
          for (const record of ended) history.endCall(record);
          if (call) history.putActive(line, call);
        });
        return ok(null);
      } catch (error) {
        return err(error instanceof Error ? error.message : String(error));
      }
    },
  });
  const historyAdded = new Signal<EventPayload<'historyAdded'>>();
  const incoming = new Signal<IncomingCallAlert>();
  switchboard.changed.on(({ line, before, after, ended }) => {
    for (const record of ended) historyAdded.emit(record);
    if (after?.phase === 'ringing' && before?.id !== after.id) incoming.emit({ line, call: after });
  });

  // While calls are up, their last sign of life moves on, so that a call cut by a crash is
  // recorded with about the length it had rather than ending where it last changed.
  const heartbeat = setInterval(() => {
    if (!switchboard.table.lines.some((line) => line.call)) return;
    try {
      history.markAlive(Date.now());
    } catch {
      // A failing disk shows on the next transition, which is refused and says so.
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  const prompts = new PromptDesk();
  // The settings service needs the doors (it prepares their sections) and a door may need
  // it (a link filling in the SIP account): the doors reach it through this, once it exists.
  let settings: SettingsService | null = null;
  const doors = await DoorSet.start(initial.doors, {
    switchboard,
    log,
    openExternal,
    profileDir: options.profileDir,
    ask: (question) => prompts.ask(question),
    settingsAccess: {
      current: () => settings?.settings ?? initial,
      save: (input) =>
        settings
          ? settings.save(input)
          : Promise.resolve(err({ code: 'starting', message: 'Callbridge is still starting' })),
    },
    ...(options.portOverrides ? { portOverrides: options.portOverrides } : {}),
  });
  const started = doors.view();
  for (const id of DOOR_IDS) {
    const status = started[id];
    if (status.state === 'failed') warnings.push(`${DOOR_LABELS[id]}: ${status.error}`);
  }
  const service = new SettingsService(settingsStore, switchboard, doors, secrets, backendFor);
  settings = service;

  const bridge = createBridgeHost(
    {
      snapshot: () => {
        const snapshot: CoreSnapshot = {
          ...switchboard.view(),
          ...service.view(),
          doors: doors.view(),
          history: history.recent(HISTORY_IN_SNAPSHOT),
          log: log.recent(),
          prompts: prompts.pending(),
        };
        return Promise.resolve(ok(snapshot));
      },
      command: (command: Command) => switchboard.execute(command),
      saveSettings: (input: unknown) => service.save(input),
      answerPrompt: (answer: PromptAnswer) => prompts.answer(answer),
      ...engine.handlers,
    },
    {
      lines: switchboard.linesChanged,
      historyAdded,
      logEntry: log.added,
      settings: service.changed,
      doors: doors.changed,
      prompts: prompts.changed,
    },
  );

  return {
    bridge,
    engine,
    warnings,
    onIncomingCall: (listener) => incoming.on(listener),
    doors: () => doors.view(),
    connectSources: () => switchboard.backend.connectSources,
    extensionType: () => switchboard.backend.type,
    async close() {
      clearInterval(heartbeat);
      // Questions still waiting end as No before the doors that asked them go.
      prompts.close();
      await doors.close();
      // After the backend, which may still ask its page to stop.
      await switchboard.close();
      engine.close();
      history.close();
    },
  };
}
