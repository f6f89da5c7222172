import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { err, ok, type Result } from '../../../shared/result.ts';
import { defaultProfileDir } from './profile-dir.ts';

/**
 * `callbridge register-links`: makes the browser target the desktop's handler of tel:,
 * callto:, sip: and voispeed: links. It writes `callbridge-open.desktop` into
 * `$XDG_DATA_HOME/applications` whose Exec runs `callbridge open --profile <dir> -- %u`
 * (absolute paths to this Node and this checkout's bin/callbridge.mjs), then makes it the
 * default for each scheme with `xdg-mime default` (argv, never a shell). A browser's click
 * on a tel: link then dials through the running headless Callbridge. The Electron build has
 * its own entry, `callbridge.desktop`, written by its installer.
 */

export const REGISTER_LINKS_USAGE = `  callbridge register-links [--profile <dir>]
      Make the desktop open tel:, callto:, sip: and voispeed: links with "callbridge open"
      for this profile: writes $XDG_DATA_HOME/applications/callbridge-open.desktop and sets
      it as their default handler with xdg-mime. Exit codes: 0 done, 1 failed, 2 bad arguments.`;

export const OPEN_DESKTOP_FILE = 'callbridge-open.desktop';
/** The schemes Callbridge claims on a desktop (sips: is read, but left to others). */
export const REGISTERED_SCHEMES = ['tel', 'callto', 'sip', 'voispeed'] as const;

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../../bin/callbridge.mjs');
const XDG_MIME_TIMEOUT_MS = 10_000;

type Io = { stdout: (line: string) => void; stderr: (line: string) => void };

export interface RegisterOptions {
  /** The environment xdg-mime runs in and the XDG folders are read from; the process's own by default. */
  readonly env?: NodeJS.ProcessEnv;
  /** The Node that runs the handler; this one by default. */
  readonly node?: string;
}

/**
 * One Exec argument as the Desktop Entry Specification wants it: quoted when it holds
 * anything but plain characters, with `" \` $` and backslash escaped inside the quotes,
 * then the string-value escaping (a backslash doubled again), and `%` written `%%` so it is
 * no field code. Controls cannot be written at all.
 */
export function execArgument(text: string): Result<string, string> {
  if (/\p{Cc}/u.test(text)) return err(`${JSON.stringify(text)} holds a control character`);
  const plain = /^[A-Za-z0-9_/.,:=@+-]+$/u.test(text);
  const quoted = plain ? text : `"${text.replace(/["`$\\]/gu, '\\$&')}"`;
  return ok(quoted.replaceAll('\\', '\\\\').replaceAll('%', '%%'));
}

export function desktopEntry(
  node: string,
  cli: string,
  profileDir: string,
): Result<string, string> {
  const words: string[] = [];
  for (const word of [node, cli, 'open', '--profile', profileDir, '--']) {
    const arg = execArgument(word);
    if (!arg.ok) return arg;
    words.push(arg.value);
  }
  const exec = words.join(' ');
  const mimeTypes = REGISTERED_SCHEMES.map((scheme) => `x-scheme-handler/${scheme};`).join('');
  return ok(
    [
      '[Desktop Entry]',
      'Type=Application',
      'Name=Callbridge (links)',
      'Comment=Dial tel:, callto:, sip: and voispeed: links with the running Callbridge',
      // `--` first: a link is always an argument, never an option (CVE-2018-1000006).
      `Exec=${exec} %u`,
      'Terminal=false',
      'NoDisplay=true',
      `MimeType=${mimeTypes}`,
      '',
    ].join('\n'),
  );
}

function xdgMime(args: readonly string[], env: NodeJS.ProcessEnv): Promise<string | null> {
  return new Promise((done) => {
    execFile(
      'xdg-mime',
      [...args],
      { env, timeout: XDG_MIME_TIMEOUT_MS, killSignal: 'SIGKILL' },
      (error, _stdout, stderr) => {
        if (error === null) done(null);
        else if ('code' in error && error.code === 'ENOENT') {
          done('xdg-mime was not found; install xdg-utils');
        } else done(stderr.trim().split('\n')[0] || error.message);
      },
    );
  });
}

export async function runRegisterLinks(
  argv: readonly string[],
  io: Io,
  options: RegisterOptions = {},
): Promise<number> {
  let profile: string | undefined;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { profile: { type: 'string' } },
      strict: true,
    });
    profile = values.profile;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(
      `callbridge register-links: ${message}; usage: callbridge register-links [--profile <dir>]`,
    );
    return 2;
  }
  const env = options.env ?? process.env;
  const profileDir = resolve(profile ?? defaultProfileDir());
  const entry = desktopEntry(options.node ?? process.execPath, CLI, profileDir);
  if (!entry.ok) {
    io.stderr(`callbridge register-links: cannot write an Exec line for ${entry.error}`);
    return 1;
  }
  const dataHome = env['XDG_DATA_HOME'] || join(env['HOME'] ?? homedir(), '.local', 'share');
  const folder = join(dataHome, 'applications');
  const file = join(folder, OPEN_DESKTOP_FILE);
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(file, entry.value, { mode: 0o644 });
  } catch (error) {
    io.stderr(
      `callbridge register-links: could not write ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  }
  io.stdout(`Wrote ${file}`);
  for (const scheme of REGISTERED_SCHEMES) {
    const failed = await xdgMime(['default', OPEN_DESKTOP_FILE, `x-scheme-handler/${scheme}`], env);
    if (failed !== null) {
      io.stderr(`callbridge register-links: ${scheme}: links were not registered: ${failed}`);
      return 1;
    }
  }
  io.stdout(
    `${REGISTERED_SCHEMES.map((scheme) => `${scheme}:`).join(', ')} links now open with callbridge open --profile ${profileDir}`,
  );
  return 0;
}
