import {
  BRIDGE,
  type BridgeHost,
  type BridgeResult,
  type EventName,
  type EventPayload,
  type InvokeName,
  type InvokeResponse,
} from '../../shared/bridge/contract.ts';
import { err } from '../../shared/result.ts';
import type { Signal } from './signal.ts';

export type InvokeHandlers = {
  [K in InvokeName]: (request: never) => Promise<BridgeResult<InvokeResponse<K>>>;
};
export type EventStreams = { [K in EventName]: Signal<EventPayload<K>> };

/**
 * The one place a bridge request enters the core, whichever transport carried it: the
 * channel must exist and the request must fit its schema before a handler sees it.
 */
export function createBridgeHost(handlers: InvokeHandlers, streams: EventStreams): BridgeHost {
  return {
    invoke: <K extends InvokeName>(name: K, request: unknown) => {
      if (!Object.hasOwn(handlers, name)) {
        return Promise.resolve(
          err({ code: 'unknown-channel', message: `unknown channel ${name}` }),
        );
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
      ) => Promise<BridgeResult<InvokeResponse<K>>>;
      return handler(checked.data);
    },
    on: <K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void) =>
      (streams[name] as Signal<EventPayload<K>>).on(listener),
  };
}
