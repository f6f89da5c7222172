import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A desktop of its own for tests that hand links to the system: every XDG folder xdg-mime and
 * xdg-open read is inside a temporary folder, so the machine's own handlers (and a tel:
 * handler its user set) play no part, and what a test registers goes nowhere else.
 *
 * `env` is a whole environment, not additions to the test's own, set for xdg-open's generic
 * mode as /usr/bin/xdg-open (xdg-utils 1.1.3) reads it:
 * - `XDG_CURRENT_DESKTOP=X-Generic` picks that mode without probing for a desktop (no
 *   dbus-send or xprop against whatever session the machine has);
 * - `DISPLAY` holds a name no X server has: xdg-open consults scheme handlers only when
 *   DISPLAY or WAYLAND_DISPLAY is set, and without one it tries text browsers instead. Nothing
 *   connects to it; the recording handler needs no display;
 * - `BROWSER=false`: where no handler is found, xdg-open's fallback runs `false` and fails
 *   (exit 3, "no method available") rather than start the machine's Chromium.
 */
export interface XdgProfile {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  /**
   * Installs `entry` (`recorder.desktop`) for tel: links, with an Exec that appends each
   * argument it is given to this profile's record, one per line, and makes it the default.
   */
  registerRecorder(entry: string): void;
  /** Back to a bare desktop: no entries, no defaults (no program handles tel:), nothing received. */
  reset(): void;
  /** What the recording handlers were given, one argument per element, oldest first. */
  received(): string[];
  remove(): void;
}

const SCHEME = 'x-scheme-handler/tel';

export function xdgProfile(): XdgProfile {
  const dir = mkdtempSync(join(tmpdir(), 'callbridge-xdg-'));
  const dataHome = join(dir, 'data');
  const configHome = join(dir, 'config');
  const applications = join(dataHome, 'applications');
  const record = join(dir, 'received.txt');
  const recorder = join(dir, 'record-argv.sh');
  for (const folder of [
    applications,
    configHome,
    join(dir, 'data-dirs'),
    join(dir, 'config-dirs'),
  ]) {
    mkdirSync(folder, { recursive: true });
  }
  // printf, not echo: an argument such as -n or one holding a backslash is written as it is.
  writeFileSync(
    recorder,
    `#!/bin/sh\nfor arg in "$@"; do printf '%s\\n' "$arg" >> '${record}'; done\n`,
  );
  chmodSync(recorder, 0o755);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: dir,
    XDG_DATA_HOME: dataHome,
    XDG_CONFIG_HOME: configHome,
    XDG_DATA_DIRS: join(dir, 'data-dirs'),
    XDG_CONFIG_DIRS: join(dir, 'config-dirs'),
    XDG_CURRENT_DESKTOP: 'X-Generic',
    DISPLAY: ':callbridge-test-no-such-display',
    BROWSER: 'false',
  };
  return {
    dir,
    env,
    registerRecorder(entry) {
      const desktop = [
        '[Desktop Entry]',
        'Type=Application',
        `Name=Recorder (${entry})`,
        `Exec=${recorder} %u`,
        `MimeType=${SCHEME};`,
        '',
      ].join('\n');
      writeFileSync(join(applications, entry), desktop);
      execFileSync('xdg-mime', ['default', entry, SCHEME], { env, stdio: 'ignore' });
    },
    reset() {
      rmSync(applications, { recursive: true, force: true });
      mkdirSync(applications);
      rmSync(join(configHome, 'mimeapps.list'), { force: true });
      rmSync(record, { force: true });
    },
    received: () =>
      existsSync(record) ? readFileSync(record, 'utf8').split('\n').slice(0, -1) : [],
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
