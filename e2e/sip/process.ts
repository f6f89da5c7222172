import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Processes and ports for the SIP rig: Kamailio, rtpengine and sipp are real programs on
 * loopback, started here and ended here by process group, never by name.
 */

/** Debian puts kamailio and kamcmd in /usr/sbin, which a non-login PATH may lack. */
export function binary(name: string): string {
  for (const dir of ['/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
    const path = `${dir}/${name}`;
    if (existsSync(path)) return path;
  }
  return name;
}

/** A UDP port nothing holds on 127.0.0.1 right now. */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** A TCP port nothing holds on 127.0.0.1 right now. */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Whether a socket of this network namespace is bound to `port`: UDP in any state, TCP
 * only listening (0A), so that TIME_WAIT leftovers of closed connections do not count.
 * Read from /proc rather than probed with bind(), which would race the program binding.
 */
export function portBound(protocol: 'udp' | 'tcp', port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of protocol === 'udp' ? ['udp', 'udp6'] : ['tcp', 'tcp6']) {
    let text: string;
    try {
      text = readFileSync(`/proc/net/${table}`, 'utf8');
    } catch {
      // No IPv6 in this kernel or namespace.
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1] ?? '';
      const state = fields[3] ?? '';
      if (!local.endsWith(`:${hex}`)) continue;
      if (protocol === 'udp' || state === '0A') return true;
    }
  }
  return false;
}

/**
 * Waits until `condition` holds, checking every 10 ms, for at most `timeoutMs`. Only for
 * facts no process announces (a port bound or released by another program, an RPC that
 * answers once a worker has initialised).
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; attempt < 10_000; attempt += 1) {
    if (await condition()) return;
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Process groups started here and not yet reaped: the last resort at exit. */
const live = new Set<number>();
process.once('exit', () => {
  for (const group of live) signalGroup(group, 'SIGKILL');
});

/**
 * Kills the process group `pid` leads if this Node process exits first (a test file that
 * crashed or timed out); the returned function forgets it once it has been reaped.
 */
export function killAtExit(pid: number): () => void {
  live.add(pid);
  return () => live.delete(pid);
}

/** SIGKILL to the process group `pid` leads (spawned with `detached: true`). */
export function killGroup(pid: number): void {
  signalGroup(pid, 'SIGKILL');
}

function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // The group is already gone.
  }
}

export interface Daemon {
  readonly pid: number;
  /** Everything the program wrote to stderr so far (its log, with -E / --log-stderr). */
  log(): string;
  /** Resolves with the exit code (null on a signal) once the main process has exited. */
  readonly exited: Promise<number | null>;
  /** Sends `signal` to the whole process group: Kamailio forks its workers. */
  signal(signal: NodeJS.Signals): void;
}

const LOG_KEPT = 256 * 1024;

/**
 * Starts a program in a process group of its own (so that its forked workers end with
 * it), writes its stderr to `logFile`, and resolves once a line of stderr matches `ready`.
 * Rejects, with the log, when it exits first or does not get ready in `timeoutMs`.
 */
export async function startDaemon(
  command: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly logFile: string; readonly ready: RegExp },
  timeoutMs = 10_000,
): Promise<Daemon> {
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) {
    await new Promise((resolve) => child.once('error', resolve));
    throw new Error(`${command} did not start`);
  }
  const forget = killAtExit(pid);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      forget();
      resolve(code);
    });
  });
  const file = createWriteStream(options.logFile);
  let log = '';
  let isReady = false;
  let announceReady = (): void => undefined;
  const ready = new Promise<void>((resolve) => {
    announceReady = resolve;
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    file.write(chunk);
    log = (log + chunk.toString()).slice(-LOG_KEPT);
    if (!isReady && options.ready.test(log)) {
      isReady = true;
      announceReady();
    }
  });
  child.stderr?.once('end', () => file.end());
  const daemon: Daemon = {
    pid,
    log: () => log,
    exited,
    signal: (signal) => signalGroup(pid, signal),
  };
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    ready.then(() => 'ready' as const),
    exited.then(() => 'exited' as const),
    new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (outcome === 'ready') return daemon;
  daemon.signal('SIGKILL');
  const code = await exited;
  throw new Error(
    outcome === 'exited'
      ? `${command} exited with ${code} before it was ready:\n${log.slice(-4000)}`
      : `${command} was not ready in ${timeoutMs} ms:\n${log.slice(-4000)}`,
  );
}

/**
 * Ends a daemon: `signal` to its group, SIGKILL if it is still there after `graceMs`.
 * Resolves once the main process has exited.
 */
export async function endDaemon(
  daemon: Daemon,
  signal: NodeJS.Signals,
  graceMs = 5_000,
): Promise<void> {
  daemon.signal(signal);
  let timer: NodeJS.Timeout | undefined;
  const inTime = await Promise.race([
    daemon.exited.then(() => true),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    }),
  ]);
  clearTimeout(timer);
  if (!inTime) daemon.signal('SIGKILL');
  await daemon.exited;
  // Workers outlive a SIGKILLed main process for a moment; none may be left.
  if (signal === 'SIGKILL' || !inTime) daemon.signal('SIGKILL');
}
