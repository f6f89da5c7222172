import {
  contentSecurityPolicy,
  resolveStaticFile,
  securityHeaders,
  type StaticLookup,
} from './core/server/static-files.ts';
import { APP_HOST, APP_SCHEME } from './app-origin.ts';

/**
 * How a `callbridge-app://comms-manager/…` URL maps onto the built renderer folder. The
 * scheme and host are checked here; the path goes through the resolver the browser target
 * uses too (`core/server/static-files.ts`). Pure, so the refusals (traversal, unknown hosts)
 * are unit-tested without Electron.
 */

export type AppFileLookup = StaticLookup;

/**
 * Chromium already folds `..` and `%2e%2e` out of standard-scheme URLs; the resolver still
 * refuses every dot segment, an encoded separator (`..%2f`), a backslash or drive letter,
 * and NUL.
 */
export function resolveAppFile(root: string, url: string): AppFileLookup {
  if (!URL.canParse(url)) return { ok: false, status: 404 };
  const parsed = new URL(url);
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host.toLowerCase() !== APP_HOST) {
    return { ok: false, status: 403 };
  }
  return resolveStaticFile(root, parsed.pathname);
}

/**
 * The app scheme reaches the core over IPC, so the page connects nowhere but itself and,
 * with the SIP softphone, the configured server's WebSocket origin (`connectSources`).
 */
export const APP_CSP = contentSecurityPolicy();

/** Sent with every response of the app scheme, errors included. */
export const APP_SECURITY_HEADERS = securityHeaders();

/** The headers with the origins the page's engine connects to now (exactly those). */
export const appSecurityHeaders = (connectSources: readonly string[]) =>
  securityHeaders(connectSources);
