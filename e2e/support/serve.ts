import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const CLI = join(REPO_ROOT, 'bin', 'callbridge.mjs');

export interface RunningCore {
  /** The core's process id, for reading its memory in /proc. */
  readonly pid: number;
  readonly profileDir: string;
  readonly listenPort: number;
  readonly uiPort: number;
  /** The URL `serve` printed, token in its fragment. */
  readonly url: string;
  readonly token: string;
  readonly stderr: () => string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash, for durability tests. */
  kill(): Promise<void>;
}

export function newProfileDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'callbridge-e2e-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done(child.exitCode);
    else child.once('exit', (code) => done(code));
  });

export interface StartCoreOptions {
  /**
   * The core's whole environment (a test desktop's XDG folders, say); the test's own when
   * absent.
   */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Start the real core the way a user or an outside script does (`callbridge serve`) and
 * wait for the two lines it promises to print. Bounded: gives up after `timeoutMs`.
 */
export async function startCore(
  profileDir: string,
  extraArgs: readonly string[] = [],
  timeoutMs = 20_000,
  options: StartCoreOptions = {},
): Promise<RunningCore> {
  const child = spawn(
    process.execPath,
    [CLI, 'serve', '--profile', profileDir, '--ui-port', '0', '--listen-port', '0', ...extraArgs],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout });
  let listenPort = 0;
  let url = '';
  await new Promise<void>((ready, fail) => {
    // A core that never gets ready is killed, not left running after the test gives up.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`serve did not start in ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`serve exited with ${code}: ${stderr}`));
    });
    lines.on('line', (line) => {
      const port = /^Listen port: (\d+)$/.exec(line);
      if (port) listenPort = Number(port[1]);
      const page = /^Comms Manager: (\S+)$/.exec(line);
      if (page) url = page[1] ?? '';
      if (listenPort && url) {
        clearTimeout(timer);
        ready();
      }
    });
  });
  const parsed = new URL(url);
  return {
    pid: child.pid ?? 0,
    profileDir,
    listenPort,
    url,
    uiPort: Number(parsed.port),
    token: new URLSearchParams(parsed.hash.slice(1)).get('token') ?? '',
    stderr: () => stderr,
    async stop() {
      child.kill('SIGTERM');
      return exited(child);
    },
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
  };
}

/** A request straight to the listen port, as a PBX or curl would send it. */
export async function telephony(
  core: Pick<RunningCore, 'listenPort'>,
  query: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${core.listenPort}/telephony?${query}`, {
    headers,
  });
  return { status: response.status, body: (await response.text()).trim() };
}
