import { z } from 'zod';
import { INVOKE_NAMES, type BridgeResult, type EventName } from './contract.ts';

/**
 * How the bridge contract travels over the browser target's WebSocket. Electron IPC does
 * not need this: it has channels and replies of its own.
 */

export const WIRE_MAX_MESSAGE_BYTES = 64 * 1024;

export const WireRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  name: z.enum(INVOKE_NAMES as [string, ...string[]]),
  request: z.unknown(),
});
export type WireRequest = z.infer<typeof WireRequestSchema>;

export type WireMessage =
  | { readonly type: 'reply'; readonly id: number; readonly result: BridgeResult<unknown> }
  | { readonly type: 'event'; readonly name: EventName; readonly payload: unknown };
