import type { BridgeResult, SettingsView } from '../../shared/bridge/contract.ts';
import { SettingsSchema, settingsFieldErrors, type Settings } from '../../shared/model/settings.ts';
import { err, ok } from '../../shared/result.ts';
import { BACKENDS } from './backends/registry.ts';
import type { ListenPortService } from './listen-port-service.ts';
import { Signal } from './signal.ts';
import type { SettingsStore } from './store/settings-store.ts';
import type { Switchboard } from './switchboard.ts';

/**
 * Applies a settings change all or nothing: validate, bind the new listen port, then save
 * and apply in one synchronous step, and only then let the old port go. Saves run one at
 * a time, so two tabs pressing Save together cannot interleave their port moves.
 */
export class SettingsService {
  readonly changed = new Signal<SettingsView>();
  #settings: Settings;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #store: SettingsStore;
  readonly #switchboard: Switchboard;
  readonly #listenPort: ListenPortService;

  constructor(store: SettingsStore, switchboard: Switchboard, listenPort: ListenPortService) {
    this.#store = store;
    this.#settings = store.get();
    this.#switchboard = switchboard;
    this.#listenPort = listenPort;
  }

  get settings(): Settings {
    return this.#settings;
  }

  view(): SettingsView {
    return { settings: this.#settings, listenPort: this.#listenPort.status() };
  }

  save(input: unknown): Promise<BridgeResult<SettingsView>> {
    const run = this.#queue.then(() => this.#apply(input));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #apply(input: unknown): Promise<BridgeResult<SettingsView>> {
    const parsed = SettingsSchema.safeParse(input);
    if (!parsed.success) {
      const fields = settingsFieldErrors(parsed.error);
      return err({ code: 'invalid-settings', message: 'Some settings are not valid', fields });
    }
    const next = parsed.data;
    const previous = this.#settings;
    const board = this.#switchboard;
    const refuse = (field: keyof Settings, message: string) =>
      err({ code: 'invalid-settings', message, fields: [{ field, message }] });
    // Object.is rather than !==: with one extension type today the compiler calls it constant.
    const typeChanged = !Object.is(next.extensionType, previous.extensionType);
    const blocker = () => {
      const resized = board.canResize(next.lines);
      if (!resized.ok) return refuse('lines', resized.error.message);
      if (typeChanged && board.table.lines.some((line) => line.call)) {
        return refuse(
          'extensionType',
          'end the calls in progress before changing the extension type',
        );
      }
      return null;
    };

    const early = blocker();
    if (early) return early;
    const port = await this.#listenPort.prepare(previous, next);
    if (!port.ok) return refuse('listenPort', port.error);
    // Calls may have arrived while the port was being bound: look again, then save and
    // apply with no await in between.
    const late = blocker();
    if (late) {
      await port.value.rollback();
      return late;
    }
    const saved = this.#store.save(next);
    if (!saved.ok) {
      await port.value.rollback();
      return err({
        code: 'invalid-settings',
        message: 'Settings could not be saved',
        fields: saved.error,
      });
    }
    board.resize(next.lines);
    this.#settings = saved.value;
    await port.value.commit();
    if (typeChanged) await board.replaceBackend(BACKENDS[next.extensionType]);
    this.changed.emit(this.view());
    return ok(this.view());
  }
}
