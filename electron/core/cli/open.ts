import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { localApiFile, readLocalApiFile } from '../doors/links/local-api-file.ts';
import { firstLine, send } from './http-client.ts';
import { defaultProfileDir } from './profile-dir.ts';

/**
 * `callbridge open`: hands one link to the Callbridge running on a profile, over its local
 * API (the links door), as clicking the link would. It reads the port and the token from
 * `<profile>/local-api.json` and does not parse the link itself: the running core does, so
 * that every link, however it came, is read by one parser and listed in its log. It never
 * loads the core, so a browser's click costs one short process.
 */

export const OPEN_USAGE = `  callbridge open [--profile <dir>] [--] '<link>'
      Hand a tel:, callto:, sip:, sips: or voispeed: link to the Callbridge running on the
      profile (serve's default when none is given), as clicking it would.
      Exit codes: 0 accepted (dialled, or asked in the Comms Manager), 2 bad arguments,
      3 no Callbridge running for the profile, 4 refused (the reason is printed).`;

const USAGE_HINT = "usage: callbridge open [--profile <dir>] [--] '<link>' (callbridge help)";

/** A dial waits for the backend's answer (the SIP engine's is bounded at 10 s). */
export const OPEN_TIMEOUT_MS = 15_000;

type Io = { stdout: (line: string) => void; stderr: (line: string) => void };

/** The message of our JSON answers, or the body's first line (a guard's plain refusal). */
function messageOf(body: string): string {
  try {
    const json: unknown = JSON.parse(body);
    if (typeof json === 'object' && json !== null) {
      const error: unknown = 'error' in json ? json.error : json;
      const message: unknown =
        typeof error === 'object' && error !== null && 'message' in error ? error.message : null;
      if (typeof message === 'string') return firstLine(message);
    }
  } catch {
    // Not JSON: a refusal from the port's guards, one line of text.
  }
  return firstLine(body);
}

export async function runOpen(
  argv: readonly string[],
  io: Io,
  options: { readonly timeoutMs?: number } = {},
): Promise<number> {
  let parsed: {
    values: { profile?: string | undefined; help?: boolean | undefined };
    positionals: string[];
  };
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { profile: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    io.stderr(
      `callbridge open: ${error instanceof Error ? error.message : String(error)}; ${USAGE_HINT}`,
    );
    return 2;
  }
  if (parsed.values.help === true) {
    io.stdout(OPEN_USAGE);
    return 0;
  }
  const [link, ...extra] = parsed.positionals;
  if (link === undefined || extra.length > 0) {
    io.stderr(`callbridge open: give exactly one link; ${USAGE_HINT}`);
    return 2;
  }
  const profileDir = resolve(parsed.values.profile ?? defaultProfileDir());
  const handed = await handLink(profileDir, link, options.timeoutMs ?? OPEN_TIMEOUT_MS);
  const line = `callbridge open: ${handed.message}`;
  if (handed.code === 0) io.stdout(line);
  else io.stderr(line);
  return handed.code;
}

/** What became of a link: 0 accepted, 3 no Callbridge answering, 4 refused; in words. */
export interface Handed {
  readonly code: 0 | 3 | 4;
  readonly message: string;
}

/**
 * Hands `link` to the Callbridge running on `profileDir`, over its local API. Also the
 * Electron shell's way in for the links the system hands it, so every link takes one path.
 */
export async function handLink(
  profileDir: string,
  link: string,
  timeoutMs: number,
): Promise<Handed> {
  const noneRunning = `no Callbridge is running for profile ${profileDir}`;
  const file = readLocalApiFile(profileDir);
  if (!file.ok) return { code: 3, message: file.error };
  if (file.value === null) {
    return { code: 3, message: `${noneRunning} (it has no ${localApiFile(profileDir)})` };
  }
  const { port, token } = file.value;
  const body = JSON.stringify({ link });
  const outcome = await send({
    hostname: '127.0.0.1',
    port,
    path: '/open',
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    },
    body,
    timeoutMs,
  });
  switch (outcome.kind) {
    case 'answered': {
      const message = messageOf(outcome.body) || `HTTP ${outcome.status} ${outcome.reason}`;
      if (outcome.status === 200 || outcome.status === 202) return { code: 0, message };
      if (outcome.status === 401) {
        return {
          code: 4,
          message: `the Callbridge on port ${port} refused the token in ${localApiFile(profileDir)}: ${message}`,
        };
      }
      return { code: 4, message };
    }
    case 'refused':
      return {
        code: 3,
        message: `${noneRunning} (its local-api.json names port ${port}, where nothing listens: left from a run that stopped)`,
      };
    case 'timeout':
      return {
        code: 3,
        message: `no answer from the Callbridge on port ${port} within ${timeoutMs / 1000} s (timed out)`,
      };
    case 'failed':
      return {
        code: 3,
        message: `could not reach the Callbridge on port ${port} (${outcome.detail})`,
      };
  }
}
