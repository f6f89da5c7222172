import { app, BrowserWindow, type Session, type WebContents } from 'electron';
import { isAppOrigin, isAppUrl } from './app-origin.ts';

/** The only permissions the Comms Manager needs: the microphone (calls) and alerts. */
const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['media', 'notifications']);

export interface MainWindowOptions {
  /** The bundled preload (one CommonJS file; sandboxed preloads cannot load modules). */
  readonly preload: string;
  readonly icon?: string;
}

/** The Comms Manager window. It is created hidden and shown once it has painted. */
export function createMainWindow({ preload, icon }: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Callbridge — Comms Manager',
    width: 1100,
    height: 760,
    minWidth: 640,
    minHeight: 480,
    show: false,
    ...(icon === undefined ? {} : { icon }),
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      // A softphone rings and plays call audio without waiting for a click in the window.
      autoplayPolicy: 'no-user-gesture-required',
      navigateOnDragDrop: false,
      safeDialogs: true,
      // Calls go on while the window is hidden in the tray; timers must keep their pace.
      backgroundThrottling: false,
    },
  });
  // The page's <title> would otherwise replace the window's.
  window.on('page-title-updated', (event) => {
    event.preventDefault();
  });
  window.once('ready-to-show', () => {
    window.show();
  });
  grantOnlyOwnPermissions(window.webContents.session, window.webContents);
  return window;
}

export function showWindow(window: BrowserWindow): void {
  if (window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

/**
 * Every web contents the app ever creates, ours or not: no new windows, no webviews, no
 * navigation away from the app origin (that includes `file://`).
 */
export function guardEveryWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    guardWebContents(contents);
  });
}

function guardWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
}

function grantOnlyOwnPermissions(session: Session, ours: WebContents): void {
  const ourId = ours.id;
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(
      contents.id === ourId &&
        GRANTED_PERMISSIONS.has(permission) &&
        details.isMainFrame &&
        isAppUrl(details.requestingUrl),
    );
  });
  session.setPermissionCheckHandler((contents, permission, requestingOrigin) => {
    return (
      contents !== null &&
      contents.id === ourId &&
      GRANTED_PERMISSIONS.has(permission) &&
      isAppOrigin(requestingOrigin)
    );
  });
}
