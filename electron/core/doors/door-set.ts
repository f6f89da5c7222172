import type { DoorsView, DoorStatus } from '../../../shared/bridge/contract.ts';
import { DOOR_IDS, type DoorId, type DoorSettings } from '../../../shared/doors/registry.ts';
import type { FieldError } from '../../../shared/model/settings.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import type { IntegrationLog } from '../integration-log.ts';
import { Signal } from '../signal.ts';
import type { Switchboard } from '../switchboard.ts';
import type { OpenExternal } from '../system-open.ts';
import type { Door, DoorContext, PreparedChange } from './door.ts';
import { DOORS } from './registry.ts';

type AnyDoor = Door<DoorId>;

export interface DoorSetOptions extends Pick<
  DoorContext<DoorId>,
  'profileDir' | 'ask' | 'settingsAccess'
> {
  readonly switchboard: Switchboard;
  readonly log: IntegrationLog;
  readonly portOverrides?: Partial<Record<DoorId, number>>;
  readonly openExternal: OpenExternal;
}

/**
 * Every door of the registry, run as one: started in registry order, closed in reverse,
 * and a settings change prepared door by door so that one refusal rolls the others back.
 */
export class DoorSet {
  /** Every door's status, whenever one of them changes. */
  readonly changed = new Signal<DoorsView>();
  readonly #doors: readonly AnyDoor[];

  private constructor(doors: readonly AnyDoor[]) {
    this.#doors = doors;
  }

  static async start(settings: DoorSettings, options: DoorSetOptions): Promise<DoorSet> {
    // Each definition is keyed by its own id (the registry's type says so); the set only
    // hands every door its own section, so treating them alike here is safe.
    const doors = DOOR_IDS.map((id) => (DOORS[id] as { create: () => AnyDoor }).create());
    const set = new DoorSet(doors);
    for (const door of doors) {
      await door.start({
        switchboard: options.switchboard,
        log: options.log.forSource(door.id),
        settings: settings[door.id],
        portOverride: options.portOverrides?.[door.id],
        openExternal: options.openExternal,
        profileDir: options.profileDir,
        ask: options.ask,
        settingsAccess: options.settingsAccess,
        statusChanged: () => {
          set.changed.emit(set.view());
        },
      });
    }
    return set;
  }

  view(): DoorsView {
    return Object.fromEntries(this.#doors.map((door) => [door.id, door.status()])) as Record<
      DoorId,
      DoorStatus
    >;
  }

  /**
   * Prepares every door for `next`. On the first refusal the doors already prepared are
   * rolled back, last first, and the refusal comes back with its fields under
   * `doors.<id>.`; otherwise one change that commits them all in order.
   */
  async prepare(
    next: DoorSettings,
    previous: DoorSettings,
  ): Promise<Result<PreparedChange, FieldError[]>> {
    const prepared: PreparedChange[] = [];
    const rollback = async () => {
      for (const change of [...prepared].reverse()) await change.rollback();
    };
    for (const door of this.#doors) {
      const result = await door.prepare(next[door.id], previous[door.id]);
      if (!result.ok) {
        await rollback();
        return err(
          result.error.map((error) => ({
            field: `doors.${door.id}.${error.field}`,
            message: error.message,
          })),
        );
      }
      prepared.push(result.value);
    }
    return ok({
      commit: async () => {
        for (const change of prepared) await change.commit();
      },
      rollback,
    });
  }

  async close(): Promise<void> {
    for (const door of [...this.#doors].reverse()) await door.close();
  }
}
