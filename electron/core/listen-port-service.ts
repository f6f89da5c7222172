import type { ListenPortStatus } from '../../shared/bridge/contract.ts';
import type { Settings } from '../../shared/model/settings.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { ListenPort, type Delivery, type ListenPortPolicy } from './doors/listen-port.ts';
import type { IntegrationLog } from './integration-log.ts';

/**
 * Keeps the one listen port in line with the settings. A change is prepared (the new port
 * is bound) before it is committed, so a port that cannot be bound leaves the old one
 * serving and the settings unsaved.
 */
export class ListenPortService {
  #door: ListenPort | null = null;
  #error: string | null = null;
  readonly #log: IntegrationLog;
  readonly #deliver: Delivery;

  constructor(log: IntegrationLog, deliver: Delivery) {
    this.#log = log;
    this.#deliver = deliver;
  }

  status(): ListenPortStatus {
    return {
      port: this.#door?.port ?? null,
      address: this.#door?.address ?? '127.0.0.1',
      error: this.#error,
    };
  }

  async start(port: number, policy: ListenPortPolicy): Promise<void> {
    const opened = await this.#open(port, policy);
    if (opened.ok) this.#door = opened.value;
    else this.#error = opened.error;
  }

  /**
   * Returns a commit function, or the reason the new settings cannot take effect. The
   * caller commits only after everything else about the change has succeeded.
   */
  async prepare(
    previous: Settings,
    next: Settings,
  ): Promise<Result<{ commit: () => Promise<void>; rollback: () => Promise<void> }, string>> {
    const policy = { allowFrom: next.listenAllowFrom, hostNames: next.listenHostNames };
    const door = this.#door;
    // The saved port, or the one bound now (a --listen-port override), both mean "stay".
    const portChanged =
      door === null || (next.listenPort !== previous.listenPort && next.listenPort !== door.port);
    const bindChanged = door !== null && ListenPort.bindAddress(policy) !== door.address;
    const nothing = () => Promise.resolve();

    if (!portChanged && !bindChanged) {
      const commit = () => {
        door.setPolicy(policy);
        return Promise.resolve();
      };
      return ok({ commit, rollback: nothing });
    }
    if (!portChanged) {
      // Same port, other interfaces: the old socket must go before the new one can bind.
      await door.close();
      const reopened = await this.#open(door.port, policy);
      if (!reopened.ok) {
        const restored = await this.#open(door.port, {
          allowFrom: previous.listenAllowFrom,
          hostNames: previous.listenHostNames,
        });
        this.#door = restored.ok ? restored.value : null;
        return err(reopened.error);
      }
      return ok({
        commit: () => {
          this.#door = reopened.value;
          return Promise.resolve();
        },
        rollback: async () => {
          await reopened.value.close();
          await this.start(door.port, {
            allowFrom: previous.listenAllowFrom,
            hostNames: previous.listenHostNames,
          });
        },
      });
    }
    const opened = await this.#open(next.listenPort, policy);
    if (!opened.ok) return err(opened.error);
    return ok({
      commit: async () => {
        await door?.close();
        this.#door = opened.value;
        this.#error = null;
      },
      rollback: () => opened.value.close(),
    });
  }

  async close(): Promise<void> {
    await this.#door?.close();
    this.#door = null;
  }

  #open(port: number, policy: ListenPortPolicy) {
    return ListenPort.open({ port, ...policy, log: this.#log, deliver: this.#deliver });
  }
}
