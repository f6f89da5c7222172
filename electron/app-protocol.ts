import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { APP_SCHEME } from './app-origin.ts';
import { APP_SECURITY_HEADERS, appSecurityHeaders, resolveAppFile } from './app-files.ts';
import { contentTypeFor } from './core/server/static-files.ts';

/**
 * The Comms Manager is served from a privileged app scheme rather than `file://`, so it
 * has a real origin to check IPC senders and permissions against, and a CSP header.
 */

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

const STATUS_TEXT = { 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed' } as const;

function refusal(status: keyof typeof STATUS_TEXT): Response {
  return new Response(STATUS_TEXT[status], {
    status,
    headers: { ...APP_SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
  });
}

/**
 * Serves `rendererRoot` (the built renderer) over the app scheme. Call once, after ready.
 * `connectSources` names the origins the page may connect to now (the SIP server).
 */
export function serveApp(rendererRoot: string, connectSources: () => readonly string[]): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405);
    const lookup = resolveAppFile(rendererRoot, request.url);
    if (!lookup.ok) return refusal(lookup.status);
    let body: Uint8Array<ArrayBuffer>;
    try {
      body = await readFile(lookup.file);
    } catch {
      return refusal(404);
    }
    const headers = {
      ...appSecurityHeaders(connectSources()),
      'Content-Type': contentTypeFor(lookup.file),
    };
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
  });
}

/** Nothing in the app loads from disk by URL; a `file://` page or subresource is refused. */
export function refuseFileScheme(): void {
  protocol.handle('file', () => refusal(403));
}
