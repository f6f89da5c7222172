import {
  BRIDGE,
  type BridgeHost,
  type BridgeResult,
  type BroadcastName,
  type EventPayload,
  type InvokeName,
  type InvokeResponse,
  type PageEventName,
  type PageSession,
  type PageSink,
} from '../../shared/bridge/contract.ts';
import { err } from '../../shared/result.ts';
import { Signal } from './signal.ts';

/**
 * One connected page as the core's handlers see it: who asked, and how to reach that page
 * alone. Its transport made it with `attach`; it is gone for good once detached.
 */
export interface Page {
  /** Counts from 1 in the order pages attached; for logs and tests. */
  readonly id: number;
  readonly attached: boolean;
  /** To this page only; dropped once it has detached. */
  send<K extends PageEventName>(name: K, payload: EventPayload<K>): void;
  /** `listener` runs once when the page detaches (at once if it already has). */
  onDetach(listener: () => void): () => void;
}

/**
 * `page` is the page that asked, or null for callers that are not a page (tests, scripts);
 * handlers that only a page may call refuse null.
 */
export type InvokeHandlers = {
  [K in InvokeName]: (
    request: never,
    page: Page | null,
  ) => Promise<BridgeResult<InvokeResponse<K>>>;
};
export type EventStreams = { [K in BroadcastName]: Signal<EventPayload<K>> };

const GONE = { code: 'refused', message: 'this page has gone away' } as const;

/**
 * The one place a bridge request enters the core, whichever transport carried it: the
 * channel must exist and the request must fit its schema before a handler sees it.
 */
export function createBridgeHost(handlers: InvokeHandlers, streams: EventStreams): BridgeHost {
  let pages = 0;

  const invoke = <K extends InvokeName>(
    name: K,
    request: unknown,
    page: Page | null,
  ): Promise<BridgeResult<InvokeResponse<K>>> => {
    if (!Object.hasOwn(handlers, name)) {
      return Promise.resolve(err({ code: 'unknown-channel', message: `unknown channel ${name}` }));
    }
    const checked = BRIDGE[name].request.safeParse(request);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
      return Promise.resolve(
        err({
          code: 'invalid-request',
          message: `${issue?.message ?? 'invalid request'}${where}`,
        }),
      );
    }
    const handler = handlers[name] as (
      request: unknown,
      page: Page | null,
    ) => Promise<BridgeResult<InvokeResponse<K>>>;
    return handler(checked.data, page);
  };

  const attach = (sink: PageSink): PageSession => {
    let attached = true;
    const detached = new Signal<void>();
    const page: Page = {
      id: ++pages,
      get attached() {
        return attached;
      },
      send(name, payload) {
        if (attached) sink.send(name, payload);
      },
      onDetach(listener) {
        if (attached) return detached.on(listener);
        listener();
        return () => undefined;
      },
    };
    return {
      // A request that was on its way when the page went (a reloaded window's last words)
      // must not count as the page that replaced it.
      invoke: (name, request) =>
        attached ? invoke(name, request, page) : Promise.resolve(err(GONE)),
      detach() {
        if (!attached) return;
        attached = false;
        detached.emit();
      },
    };
  };

  return {
    invoke: (name, request) => invoke(name, request, null),
    on: <K extends BroadcastName>(name: K, listener: (payload: EventPayload<K>) => void) =>
      (streams[name] as Signal<EventPayload<K>>).on(listener),
    attach,
  };
}
