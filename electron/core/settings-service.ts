import type { BridgeResult, SettingsView } from '../../shared/bridge/contract.ts';
import {
  SIP_PASSWORD_SECRET,
  SettingsSchema,
  settingsFieldErrors,
  type Settings,
} from '../../shared/model/settings.ts';
import { findControl } from '../../shared/protocols/text.ts';
import { err, ok } from '../../shared/result.ts';
import type { Backend, ReportEvent } from './backends/backend.ts';
import type { DoorSet } from './doors/door-set.ts';
import { Signal } from './signal.ts';
import type { SecretStore } from './store/secret-store.ts';
import type { SettingsStore } from './store/settings-store.ts';
import type { Switchboard } from './switchboard.ts';

export type BackendMaker = (extension: Settings['extension'], report: ReportEvent) => Backend;

/**
 * Applies a settings change all or nothing: validate, prepare every door (bind a new port),
 * then save and apply in one synchronous step, and only then let the doors commit. Saves
 * run one at a time, so two tabs pressing Save together cannot interleave their port moves.
 */
export class SettingsService {
  readonly changed = new Signal<SettingsView>();
  #settings: Settings;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #store: SettingsStore;
  readonly #switchboard: Switchboard;
  readonly #doors: DoorSet;
  readonly #secrets: SecretStore;

  readonly #backendFor: BackendMaker;

  /** `backendFor` makes the backend for an extension (core.ts knows its other parts). */
  constructor(
    store: SettingsStore,
    switchboard: Switchboard,
    doors: DoorSet,
    secrets: SecretStore,
    backendFor: BackendMaker,
  ) {
    this.#backendFor = backendFor;
    this.#store = store;
    this.#secrets = secrets;
    this.#settings = store.get();
    this.#switchboard = switchboard;
    this.#doors = doors;
  }

  get settings(): Settings {
    return this.#settings;
  }

  view(): SettingsView {
    const secretsSet = [SIP_PASSWORD_SECRET].filter((name) => this.#secrets.has(name));
    return {
      settings: this.#settings,
      problem: this.#store.problem,
      secretsSet,
      connectSources: this.#switchboard.backend.connectSources,
    };
  }

  save(input: unknown): Promise<BridgeResult<SettingsView>> {
    const run = this.#queue.then(() => this.#apply(input));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #apply(input: unknown): Promise<BridgeResult<SettingsView>> {
    const { settings: withoutSecrets, password } = takePassword(input);
    if (password !== undefined && (password.length > 256 || findControl(password) !== null)) {
      const message = 'must be at most 256 characters, without control characters';
      return err({
        code: 'invalid-settings',
        message: `Password ${message}`,
        fields: [{ field: 'extension.password', message }],
      });
    }
    const parsed = SettingsSchema.safeParse(withoutSecrets);
    if (!parsed.success) {
      const fields = settingsFieldErrors(parsed.error);
      return err({ code: 'invalid-settings', message: 'Some settings are not valid', fields });
    }
    const next = parsed.data;
    const previous = this.#settings;
    const board = this.#switchboard;
    const refuse = (field: string, message: string) =>
      err({ code: 'invalid-settings', message, fields: [{ field, message }] });
    // Any change of the extension's fields or its password means a new backend (a new
    // account, say). An empty password field keeps the one saved.
    const passwordChanged =
      password !== undefined &&
      password !== '' &&
      password !== this.#secrets.get(SIP_PASSWORD_SECRET);
    const extensionChanged =
      passwordChanged || JSON.stringify(next.extension) !== JSON.stringify(previous.extension);
    const blocker = () => {
      const resized = board.canResize(next.lines);
      if (!resized.ok) return refuse('lines', resized.error.message);
      if (extensionChanged && board.table.lines.some((line) => line.call)) {
        return refuse(
          'extension.type',
          'end the calls in progress before changing the extension type',
        );
      }
      return null;
    };

    const early = blocker();
    if (early) return early;
    const doors = await this.#doors.prepare(next.doors, previous.doors);
    if (!doors.ok) {
      const [first] = doors.error;
      return err({
        code: 'invalid-settings',
        message: first?.message ?? 'Some settings are not valid',
        fields: doors.error,
      });
    }
    // Calls may have arrived while ports were being bound: look again, then save and
    // apply with no await in between.
    const late = blocker();
    if (late) {
      await doors.value.rollback();
      return late;
    }
    // The secret first, so that a settings file is never saved for a password that was not.
    const oldPassword = this.#secrets.get(SIP_PASSWORD_SECRET);
    if (passwordChanged) {
      const stored = await this.#secrets.set(SIP_PASSWORD_SECRET, password);
      if (!stored.ok) {
        await doors.value.rollback();
        return refuse('extension.password', `could not be kept: ${stored.error}`);
      }
    }
    const saved = this.#store.save(next);
    if (!saved.ok) {
      if (passwordChanged) {
        await (oldPassword === null
          ? this.#secrets.delete(SIP_PASSWORD_SECRET)
          : this.#secrets.set(SIP_PASSWORD_SECRET, oldPassword));
      }
      await doors.value.rollback();
      return err({
        code: 'invalid-settings',
        message: 'Settings could not be saved',
        fields: saved.error,
      });
    }
    board.resize(next.lines);
    this.#settings = saved.value;
    await doors.value.commit();
    if (extensionChanged) {
      await board.replaceBackend((report) => this.#backendFor(next.extension, report));
    }
    this.changed.emit(this.view());
    return ok(this.view());
  }
}

/**
 * The SIP password arrives with the settings (`extension.password`) but is never part of
 * them: it is taken out here, before the schema sees the settings, and kept in the
 * SecretStore.
 */
function takePassword(input: unknown): { settings: unknown; password: string | undefined } {
  if (typeof input !== 'object' || input === null || !('extension' in input)) {
    return { settings: input, password: undefined };
  }
  const { extension } = input;
  if (typeof extension !== 'object' || extension === null || !('password' in extension)) {
    return { settings: input, password: undefined };
  }
  const { password, ...rest } = extension;
  return {
    settings: { ...input, extension: rest },
    password: typeof password === 'string' ? password : undefined,
  };
}
