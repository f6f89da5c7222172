import type { BridgeResult, SettingsView } from '../../shared/bridge/contract.ts';
import {
  SECRET_NAMES,
  SettingsSchema,
  settingsFieldErrors,
  type Settings,
} from '../../shared/model/settings.ts';
import { countryOf } from '../../shared/protocols/phone-number.ts';
import { err, ok } from '../../shared/result.ts';
import type { Backend, ReportEvent } from './backends/backend.ts';
import type { DoorSet } from './doors/door-set.ts';
import { changedSecrets, keepSecrets, takeSecretFields } from './secret-fields.ts';
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
    const secretsSet = SECRET_NAMES.filter((name) => this.#secrets.has(name));
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
    const taken = takeSecretFields(input);
    if (!taken.ok) {
      const [first] = taken.error;
      return err({
        code: 'invalid-settings',
        message: first?.message ?? 'Some settings are not valid',
        fields: taken.error,
      });
    }
    const withoutSecrets = taken.value.settings;
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
    // Any change of the extension's fields or its secrets means a new backend (a new
    // account, say).
    const secrets = changedSecrets(taken.value.typed, this.#secrets);
    const extensionChanged =
      secrets.length > 0 || JSON.stringify(next.extension) !== JSON.stringify(previous.extension);
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
    // Secrets first, so that a settings file is never saved for a password that was not.
    const kept = await keepSecrets(secrets, this.#secrets);
    if (!kept.ok) {
      await doors.value.rollback();
      return refuse(kept.error.field, kept.error.message);
    }
    const saved = this.#store.save(next);
    if (!saved.ok) {
      await kept.value();
      await doors.value.rollback();
      return err({
        code: 'invalid-settings',
        message: 'Settings could not be saved',
        fields: saved.error,
      });
    }
    board.resize(next.lines);
    board.setDefaultCountry(countryOf(next.defaultCountry));
    this.#settings = saved.value;
    await doors.value.commit();
    if (extensionChanged) {
      await board.replaceBackend((report) => this.#backendFor(next.extension, report));
    }
    this.changed.emit(this.view());
    return ok(this.view());
  }
}
