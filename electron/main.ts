import path from 'node:path';
import { app, dialog, shell, type BrowserWindow } from 'electron';
import { err, ok } from '../shared/result.ts';
import { APP_ENTRY_URL } from './app-origin.ts';
import { refuseFileScheme, registerAppScheme, serveApp } from './app-protocol.ts';
import { createCore } from './core/core.ts';
import { unavailableCodec } from './core/store/secret-store.ts';
import { safeStorageCodec } from './safe-storage.ts';
import { registerBridgeIpc } from './ipc.ts';
import { takeLinks } from './links.ts';
import { notifyIncomingCalls } from './notifications.ts';
import { createTray } from './tray.ts';
import { createMainWindow, guardEveryWebContents, showWindow } from './window.ts';

/**
 * Wiring only: the core does the work (electron/core/), the siblings of this file hold
 * the window, tray, notifications, app scheme and IPC. Built into out/electron/, next to
 * preload.cjs and icons/.
 */

const built = import.meta.dirname;

// Both must happen before `ready`.
app.enableSandbox();
registerAppScheme();

if (app.requestSingleInstanceLock()) {
  start().catch((error: unknown) => {
    console.error(error);
    dialog.showErrorBox('Callbridge could not start', String(error));
    app.exit(1);
  });
} else {
  // The first instance gets our argv through 'second-instance' and comes to the front.
  app.quit();
}

async function start(): Promise<void> {
  app.setAppUserModelId('com.callbridge.app');
  guardEveryWebContents();
  // Before ready: macOS hands over the link that launched the app as soon as it can.
  const links = takeLinks();
  await app.whenReady();

  refuseFileScheme();
  const secretCodec = await safeStorageCodec().catch((error: unknown) =>
    unavailableCodec(error instanceof Error ? error.message : String(error)),
  );
  const profileDir = app.getPath('userData');
  const core = await createCore({
    profileDir,
    secretCodec,
    // TEL must not hand a call to this app itself (the core asks xdg-mime on Linux).
    isSelfTelHandler: () => app.isDefaultProtocolClient('tel'),
    // The desktop's own handler lookup, as the user configured it; no child process.
    openExternal: (url) =>
      shell.openExternal(url).then(
        () => ok(null),
        (error: unknown) => err(error instanceof Error ? error.message : String(error)),
      ),
  });
  serveApp(path.join(app.getAppPath(), 'dist', 'renderer'), () => core.connectSources());
  for (const warning of core.warnings) console.warn(warning);

  const window = createMainWindow({
    preload: path.join(built, 'preload.cjs'),
    icon: path.join(built, 'icons', 'icon.png'),
  });
  const show = () => {
    showWindow(window);
  };
  const stopIpc = registerBridgeIpc(core, window);
  const stopNotifications = notifyIncomingCalls(core, show);
  const quit = () => {
    app.quit();
  };
  const tray = createTray(path.join(built, 'icons', 'tray.png'), { show, quit });

  // A second start (a clicked link) brings the window up and hands its link over.
  const stopLinks = links.start(core, profileDir, show);
  app.on('activate', show);
  keepAliveInTray(window, async () => {
    stopLinks();
    stopNotifications();
    stopIpc();
    tray.destroy();
    await core.close();
  });

  await window.loadURL(APP_ENTRY_URL);
}

/**
 * Closing the window hides it, so the renderer (and the SIP engine in it) keeps running.
 * Quitting, from the tray or the OS, waits for `shutdown` before the app goes.
 */
function keepAliveInTray(window: BrowserWindow, shutdown: () => Promise<void>): void {
  let quitting = false;
  let closed = false;
  window.on('close', (event) => {
    if (quitting) return;
    event.preventDefault();
    window.hide();
  });
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    if (quitting) return;
    quitting = true;
    shutdown()
      .catch((error: unknown) => {
        console.error('Callbridge did not shut down cleanly:', error);
      })
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
}
