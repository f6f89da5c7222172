import type { DoorStatus } from '../../../../shared/bridge/contract.ts';
import type { ListenPortSettings } from '../../../../shared/doors/listen-port.ts';
import { describeLine } from '../../../../shared/model/describe.ts';
import { err, ok, type Result } from '../../../../shared/result.ts';
import { NO_CHANGE, type Door, type DoorContext, type DoorDefinition } from '../door.ts';
import { ListenPort, type Delivery, type ListenPortPolicy } from './http-door.ts';

/**
 * Season Office's listen port as a door: keeps one `ListenPort` in line with its settings
 * section. A change is prepared (the new port bound) before it is committed, so a port
 * that cannot be bound leaves the old one serving and the settings unsaved.
 */
class ListenPortDoor implements Door<'listen-port'> {
  readonly id = 'listen-port';
  #port: ListenPort | null = null;
  #error: string | null = null;
  #context: DoorContext<'listen-port'> | null = null;

  async start(context: DoorContext<'listen-port'>): Promise<void> {
    this.#context = context;
    await this.#reopen(context.portOverride ?? context.settings.port, policyOf(context.settings));
  }

  status(): DoorStatus {
    if (this.#error !== null) {
      return { state: 'failed', summary: 'Not listening', error: this.#error };
    }
    const port = this.#port;
    if (port === null) return { state: 'off', summary: 'Closed' };
    const host = port.address.includes(':') ? `[${port.address}]` : port.address;
    return {
      state: 'ready',
      summary: `Listening on ${host}:${port.port}`,
      readyLine: `Listen port: ${port.port}`,
      endpoint: { address: port.address, port: port.port },
    };
  }

  async prepare(next: ListenPortSettings, previous: ListenPortSettings) {
    const refused = (message: string) => err([{ field: 'port', message }]);
    const policy = policyOf(next);
    const current = this.#port;

    // The saved port, or the one bound now (a --listen-port override), both mean "stay".
    const portChanged =
      current === null || (next.port !== previous.port && next.port !== current.port);
    if (portChanged) {
      const opened = await this.#open(next.port, policy);
      if (!opened.ok) return refused(opened.error);
      return ok({
        commit: async () => {
          await current?.close();
          this.#set(opened.value, null);
        },
        rollback: () => opened.value.close(),
      });
    }
    if (current.canTake(policy)) {
      return ok({
        ...NO_CHANGE,
        commit: () => {
          current.setPolicy(policy);
          return Promise.resolve();
        },
      });
    }

    // Same port on other interfaces: the old socket must go before the new one can bind,
    // so for a moment nothing listens. A failure puts the old one back.
    const port = current.port;
    await current.close();
    this.#port = null;
    const reopened = await this.#open(port, policy);
    if (!reopened.ok) {
      await this.#reopen(port, policyOf(previous));
      return refused(reopened.error);
    }
    this.#set(reopened.value, null);
    return ok({
      commit: () => Promise.resolve(),
      rollback: async () => {
        await reopened.value.close();
        this.#port = null;
        await this.#reopen(port, policyOf(previous));
      },
    });
  }

  async close(): Promise<void> {
    await this.#port?.close();
    this.#port = null;
  }

  async #reopen(port: number, policy: ListenPortPolicy): Promise<void> {
    const opened = await this.#open(port, policy);
    this.#set(opened.ok ? opened.value : null, opened.ok ? null : opened.error);
  }

  #set(port: ListenPort | null, error: string | null): void {
    this.#port = port;
    this.#error = error;
    this.#context?.statusChanged();
  }

  #open(port: number, policy: ListenPortPolicy): Promise<Result<ListenPort, string>> {
    const context = this.#context;
    if (context === null) return Promise.resolve(err('the listen port has not been started'));
    return ListenPort.open({ port, ...policy, log: context.log, deliver: delivery(context) });
  }
}

const policyOf = (settings: ListenPortSettings): ListenPortPolicy => ({
  allowFrom: settings.allowFrom,
  hostNames: settings.hostNames,
});

/** Pushed call state is taken only by a backend that declares it has no signalling of its own. */
function delivery({ switchboard }: DoorContext<'listen-port'>): Delivery {
  return (event) => {
    const { backend } = switchboard;
    if (!backend.acceptsPushedEvents) {
      return err({
        code: 'not-capable',
        message: `the ${backend.type} extension type gets call state from its own signalling`,
      });
    }
    const result = switchboard.report(event);
    if (!result.ok) return result;
    const summary =
      event.kind === 'LineSelected'
        ? `line ${event.line} is selected`
        : describeLine(switchboard.table, event.line);
    return ok({ changed: result.value.changed, summary });
  };
}

export const listenPortDoor: DoorDefinition<'listen-port'> = {
  create: () => new ListenPortDoor(),
  serveFlag: { name: 'listen-port', prints: 'Listen port: <port>' },
};
