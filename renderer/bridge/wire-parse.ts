import type { BridgeResult } from '../../shared/bridge/contract.ts';
import { isEventName } from '../../shared/bridge/contract.ts';
import type { WireMessage } from '../../shared/bridge/wire.ts';

/**
 * Reads one frame from the core. The core is trusted to send what the contract says, so
 * this checks the envelope only; a frame that does not fit it is dropped, never thrown.
 */

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isResult(value: unknown): value is BridgeResult<unknown> {
  if (!isRecord(value)) return false;
  if (value['ok'] === true) return 'value' in value;
  return value['ok'] === false && isRecord(value['error']);
}

export function parseWireMessage(text: string): WireMessage | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(data)) return null;
  const { type } = data;
  if (type === 'reply') {
    const { id, result } = data;
    if (typeof id !== 'number' || !isResult(result)) return null;
    return { type, id, result };
  }
  if (type === 'event') {
    const { name, payload } = data;
    if (!isEventName(name)) return null;
    return { type, name, payload };
  }
  return null;
}
