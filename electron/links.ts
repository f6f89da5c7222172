import path from 'node:path';
import { app, Notification } from 'electron';
import { handLink } from './core/cli/open.ts';
import type { Core } from './core/core-api.ts';
import { handlerArguments, linksFromArgv, REGISTERED_SCHEMES } from './link-args.ts';

/**
 * The app as the system's handler of tel:, callto:, sip: and voispeed: links. Links arrive
 * in this process's own argv (the app was started by a click), in a second instance's argv
 * (forwarded by the single-instance lock), or through `open-url` on macOS; each goes to the
 * core's local API, the one way in for every link (the links door parses, logs and acts on
 * it, or asks in the Comms Manager). Links that come before the core is up wait for it.
 */

/** As `callbridge open` waits: a dial waits for the backend's answer. */
const HAND_TIMEOUT_MS = 15_000;

export interface LinkIntake {
  /** Starts handing links to the core; those that came earlier go first. */
  start(core: Core, profileDir: string, show: () => void): () => void;
}

/**
 * With the TEL extension type a call is handed to the system's tel: handler, so this app
 * must not be that handler: it would get its own call back, and again. Then tel: and
 * callto: are given up (and not claimed); the other schemes are this app's either way.
 */
function claimSchemes(core: Core, appPath: string | null): void {
  const handsTelOn = core.extensionType() === 'tel';
  for (const scheme of REGISTERED_SCHEMES) {
    const args = handlerArguments(appPath);
    if (handsTelOn && (scheme === 'tel' || scheme === 'callto')) {
      if (app.isDefaultProtocolClient(scheme, process.execPath, args)) {
        app.removeAsDefaultProtocolClient(scheme, process.execPath, args);
      }
      continue;
    }
    app.setAsDefaultProtocolClient(scheme, process.execPath, args);
  }
}

/**
 * Starts listening for links, and registers the schemes once the core is up (`start`).
 * Call before `ready`: macOS sends `open-url` for the link that launched the app before then.
 */
export function takeLinks(): LinkIntake {
  // `electron .` in development: Windows and Linux must start Electron with the app folder.
  const appPath = process.defaultApp ? path.resolve(process.argv[1] ?? '.') : null;
  const waiting: string[] = linksFromArgv(process.argv);
  let deliver: ((link: string) => void) | null = null;
  let showWindow: (() => void) | null = null;
  const take = (links: readonly string[]) => {
    for (const link of links) {
      if (deliver) deliver(link);
      else waiting.push(link);
    }
  };
  app.on('open-url', (event, url) => {
    event.preventDefault();
    take([url]);
  });
  // The lock forwards a second start's argv here: the link after its `--`.
  app.on('second-instance', (_event, argv) => {
    showWindow?.();
    take(linksFromArgv(argv));
  });

  return {
    start(core, profileDir, show) {
      claimSchemes(core, appPath);
      showWindow = show;
      deliver = (link) => {
        void handLink(profileDir, link, HAND_TIMEOUT_MS).then((handed) => {
          if (handed.code !== 0) notify(handed.message);
        });
      };
      take(waiting.splice(0));
      // A link that asks first brings the Comms Manager up, where the question is.
      let asked = 0;
      return core.bridge.on('prompts', (prompts) => {
        if (prompts.length > asked) show();
        asked = prompts.length;
      });
    },
  };
}

/** A link that was not used says why; the integration log has the whole story. */
function notify(message: string): void {
  console.warn(`A link was not used: ${message}`);
  if (!Notification.isSupported()) return;
  new Notification({ title: 'Callbridge did not use the link', body: message }).show();
}
