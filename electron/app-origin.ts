/**
 * The one origin the Comms Manager is served from. Everything the shell trusts (IPC
 * senders, navigations, permission requests) is checked against it.
 *
 * Node's URL parser does not know that `callbridge-app` is registered as a standard
 * scheme (it reports the origin as "null"), so URLs are compared by protocol and host.
 */
export const APP_SCHEME = 'callbridge-app';
export const APP_HOST = 'comms-manager';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/`;

export function isAppUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host.toLowerCase() === APP_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** For origins as Chromium serializes them, e.g. in permission checks. */
export function isAppOrigin(origin: string): boolean {
  return origin.toLowerCase() === APP_ORIGIN;
}
