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
    this.#door = opened.ok ? opened.value : null;
    this.#error = opened.ok ? null : opened.error;
  }

  /**
   * Returns a commit function, or the reason the new settings cannot take effect. The
   * caller commits only after everything else about the change has succeeded, and rolls
   * back otherwise.
   */
  async prepare(
    previous: Settings,
    next: Settings,
  ): Promise<Result<{ commit: () => Promise<void>; rollback: () => Promise<void> }, string>> {
    const policy = { allowFrom: next.listenAllowFrom, hostNames: next.listenHostNames };
    const previousPolicy = {
      allowFrom: previous.listenAllowFrom,
      hostNames: previous.listenHostNames,
    };
    const door = this.#door;
    const nothing = () => Promise.resolve();

    // The saved port, or the one bound now (a --listen-port override), both mean "stay".
    const portChanged =
      door === null || (next.listenPort !== previous.listenPort && next.listenPort !== door.port);
    if (portChanged) {
      const opened = await this.#open(next.listenPort, policy);
      if (!opened.ok) return err(opened.error);
      const commit = async () => {
        await door?.close();
        this.#door = opened.value;
        this.#error = null;
      };
      return ok({ commit, rollback: () => opened.value.close() });
    }
    if (ListenPort.bindAddress(policy) === door.address) {
      const commit = () => {
        door.setPolicy(policy);
        return Promise.resolve();
      };
      return ok({ commit, rollback: nothing });
    }

    // Same port on other interfaces: the old socket must go before the new one can bind,
    // so for a moment nothing listens. A failure puts the old one back.
    const port = door.port;
    await door.close();
    this.#door = null;
    const reopened = await this.#open(port, policy);
    if (!reopened.ok) {
      await this.start(port, previousPolicy);
      return err(reopened.error);
    }
    this.#door = reopened.value;
    const commit = () => {
      this.#error = null;
      return Promise.resolve();
    };
    const rollback = async () => {
      await reopened.value.close();
      this.#door = null;
      await this.start(port, previousPolicy);
    };
    return ok({ commit, rollback });
  }

  async close(): Promise<void> {
    await this.#door?.close();
    this.#door = null;
  }

  #open(port: number, policy: ListenPortPolicy) {
    return ListenPort.open({ port, ...policy, log: this.#log, deliver: this.#deliver });
  }
}
