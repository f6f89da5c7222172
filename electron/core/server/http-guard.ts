import type { IncomingHttpHeaders } from 'node:http';
import { readCrossSite } from './port-policy.ts';

/**
 * The listen port door's view of the checks, which now live in port-policy.ts. Goes when
 * the door opens its port through guarded-http.ts.
 */
export {
  allowList,
  checkHost,
  checkPeer,
  isLoopback,
  normaliseAddress,
  ownOrigins,
} from './port-policy.ts';

/** Null for our own requests and for a clicked top-level navigation. */
export function checkCrossSite(
  headers: IncomingHttpHeaders,
  origins: readonly string[],
): string | null {
  const site = readCrossSite(headers, origins);
  return site.kind === 'refused' ? site.reason : null;
}
