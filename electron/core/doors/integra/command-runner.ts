import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import {
  INTEGRA_MAX_RUNNING,
  INTEGRA_TIME_LIMIT_MS,
  type Expanded,
  type IntegraEvent,
} from '../../../../shared/protocols/integra.ts';
import {
  messageOf,
  record,
  startError,
  type RunRecord,
  type RunStatus,
  type RunTarget,
} from './run-record.ts';

/**
 * Runs Integra's commands (see shared/protocols/integra.ts for the template). Never through a
 * shell: the argv that `expand` built is handed to the OS as it is, so a caller's value stays
 * one inert argument. Every run is bounded in time, and only a few run at once, so a burst of
 * calls or a hanging hook cannot pile up processes.
 */

export interface CommandRunnerOptions {
  /** Opens an http(s) URL with the default browser (shell.openExternal, xdg-open). */
  readonly openUrl: (url: string) => Promise<void>;
  /** The environment programs run in; `process.env` as it was when the runner was made. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Their working folder; the app's own when absent. */
  readonly cwd?: string;
  readonly timeLimitMs?: number;
  readonly maxRunning?: number;
  readonly maxQueued?: number;
}

/** Beyond this many waiting, a run is refused: the hooks are not keeping up, and waiting longer helps nobody. */
export const INTEGRA_MAX_QUEUED = 32;
/** How much of stderr is read for its first line. */
export const STDERR_READ_LIMIT = 4096;
/** How long the first line may be in the record. */
export const STDERR_LINE_LIMIT = 300;
/**
 * After the program exits, how long to wait for the rest of its stderr. A background child
 * it left running may hold the pipe open for ever, so the record does not wait for that.
 */
const STDERR_GRACE_MS = 250;

const CONTROL = /[\p{Cc}\u2028\u2029]/gu;

/** Collects stderr until its first non-blank line is complete, or the read limit is reached. */
class FirstLine {
  readonly #chunks: Buffer[] = [];
  #bytes = 0;
  #complete = false;

  get complete(): boolean {
    return this.#complete;
  }

  add(chunk: Buffer): void {
    if (this.#complete) return;
    const part = chunk.subarray(0, STDERR_READ_LIMIT - this.#bytes);
    this.#chunks.push(part);
    this.#bytes += part.length;
    if (this.#bytes >= STDERR_READ_LIMIT || /\S[^\n]*\n/.test(this.#text())) {
      this.#complete = true;
    }
  }

  #text(): string {
    return Buffer.concat(this.#chunks).toString('utf8');
  }

  line(): string | null {
    const first = this.#text()
      .split('\n')
      .find((line) => line.trim() !== '');
    if (first === undefined) return null;
    const clean = first.replace(/\r$/, '').replaceAll('\t', ' ').replace(CONTROL, '\uFFFD');
    return clean.length > STDERR_LINE_LIMIT ? `${clean.slice(0, STDERR_LINE_LIMIT)}…` : clean;
  }
}

interface Waiting {
  readonly go: () => void;
  readonly drop: (reason: string) => void;
}

export class CommandRunner {
  readonly #openUrl: (url: string) => Promise<void>;
  readonly #env: Record<string, string | undefined>;
  readonly #cwd: string | undefined;
  readonly #timeLimitMs: number;
  readonly #maxRunning: number;
  readonly #maxQueued: number;
  readonly #queue: Waiting[] = [];
  /** Kills each running program at once; for `close`. */
  readonly #killers = new Set<() => void>();
  readonly #active = new Set<Promise<RunRecord>>();
  #running = 0;
  #closed = false;

  constructor(options: CommandRunnerOptions) {
    this.#openUrl = options.openUrl;
    this.#env = { ...(options.env ?? process.env) };
    this.#cwd = options.cwd;
    this.#timeLimitMs = options.timeLimitMs ?? INTEGRA_TIME_LIMIT_MS;
    this.#maxRunning = Math.max(1, options.maxRunning ?? INTEGRA_MAX_RUNNING);
    this.#maxQueued = Math.max(0, options.maxQueued ?? INTEGRA_MAX_QUEUED);
  }

  /** How many programs or URL opens are under way now. */
  get running(): number {
    return this.#running;
  }

  /** How many wait for a free slot. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Runs one expanded command for `event`. Never rejects: every outcome is a record. */
  run(event: IntegraEvent, command: Expanded): Promise<RunRecord> {
    const target: RunTarget =
      command.kind === 'url'
        ? { kind: 'url', url: command.url }
        : { kind: 'program', argv: [command.file, ...command.args] };
    const refuse = (error: string): Promise<RunRecord> =>
      Promise.resolve(record(event, target, 'refused', { error }));
    const problem = this.#closed ? 'Integra is stopping; the command was not run' : check(target);
    if (problem !== null) return refuse(problem);
    const asked = performance.now();
    if (this.#running < this.#maxRunning) return this.#start(event, target, asked);
    if (this.#queue.length >= this.#maxQueued) {
      return refuse(
        `too many Integra commands at once (${this.#running} running, ${this.#queue.length} waiting); this one was not run`,
      );
    }
    return new Promise((resolve) => {
      this.#queue.push({
        go: () => {
          resolve(this.#start(event, target, asked));
        },
        drop: (reason) => {
          resolve(record(event, target, 'refused', { error: reason }));
        },
      });
    });
  }

  /**
   * Refuses what waits, kills what runs (process groups included), and resolves once every
   * run has its record. Later runs are refused.
   */
  async close(): Promise<void> {
    this.#closed = true;
    for (const waiting of this.#queue.splice(0)) {
      waiting.drop('Integra stopped before the command could run');
    }
    for (const kill of this.#killers) kill();
    await Promise.all(this.#active);
  }

  #start(event: IntegraEvent, target: RunTarget, asked: number): Promise<RunRecord> {
    this.#running += 1;
    const queuedMs = Math.round(performance.now() - asked);
    const run =
      target.kind === 'url'
        ? this.#open(event, target, queuedMs)
        : this.#spawn(event, target, queuedMs);
    const done = run.finally(() => {
      this.#running -= 1;
      this.#active.delete(done);
      this.#queue.shift()?.go();
    });
    this.#active.add(done);
    return done;
  }

  async #open(
    event: IntegraEvent,
    target: RunTarget & { kind: 'url' },
    queuedMs: number,
  ): Promise<RunRecord> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<'timed-out'>((resolve) => {
      timer = setTimeout(() => {
        resolve('timed-out');
      }, this.#timeLimitMs);
    });
    // Called inside a then, so an opener that throws instead of rejecting is caught too.
    const opened = Promise.resolve(target.url)
      .then((url) => this.#openUrl(url))
      .then(
        () => null,
        (error: unknown) => messageOf(error),
      );
    const outcome = await Promise.race([opened, limit]);
    clearTimeout(timer);
    const durationMs = Math.round(performance.now() - started);
    const times = { queuedMs, durationMs };
    if (outcome === 'timed-out') {
      const error = `the URL opener did not answer within ${this.#timeLimitMs} ms`;
      return record(event, target, 'timed-out', { ...times, error });
    }
    if (outcome !== null) {
      return record(event, target, 'failed', { ...times, error: `could not open: ${outcome}` });
    }
    return record(event, target, 'opened', times);
  }

  #spawn(
    event: IntegraEvent,
    target: RunTarget & { kind: 'program' },
    queuedMs: number,
  ): Promise<RunRecord> {
    const [file = '', ...args] = target.argv;
    // On POSIX the program leads a process group of its own, so the time limit also ends
    // whatever it started (a script's `sleep`, a browser it forked). Windows has no groups
    // to signal; there only the program itself is ended.
    const group = process.platform !== 'win32';
    return new Promise((resolve) => {
      const started = performance.now();
      const elapsed = (): number => Math.round(performance.now() - started);
      let child: ChildProcess;
      try {
        child = spawn(file, args, {
          shell: false,
          windowsHide: true,
          detached: group,
          stdio: ['ignore', 'ignore', 'pipe'],
          env: this.#env,
          cwd: this.#cwd,
        });
      } catch (error) {
        // Node throws (rather than emitting 'error') for some spawn failures, e.g. EINVAL
        // for a .bat or .cmd file on Windows, which it refuses to start without a shell.
        const reason = startError(file, error, this.#cwd);
        resolve(record(event, target, 'failed', { queuedMs, error: reason }));
        return;
      }
      const stderr = new FirstLine();
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr.add(chunk);
      });
      /** Why we killed it, for the record; null while nobody has. */
      let killed: { readonly status: RunStatus; readonly error: string } | null = null;
      let ended = false;
      let grace: NodeJS.Timeout | undefined;
      const kill = (status: RunStatus, error: string): void => {
        killed ??= { status, error };
        const pid = child.pid;
        try {
          if (group && pid !== undefined) process.kill(-pid, 'SIGKILL');
          else child.kill('SIGKILL');
        } catch {
          // ESRCH: the group is already gone; end the program itself if it is not.
          child.kill('SIGKILL');
        }
      };
      // SIGKILL rather than SIGTERM: a hook past its limit is stuck, SIGTERM can be trapped
      // or ignored, and the slot must come free at a known time.
      const timer = setTimeout(() => {
        kill('timed-out', `killed at the time limit of ${this.#timeLimitMs} ms`);
      }, this.#timeLimitMs);
      const stop = (): void => {
        kill('signalled', 'killed because Integra stopped');
      };
      this.#killers.add(stop);
      const finish = (status: RunStatus, fields: Partial<RunRecord>): void => {
        if (ended) return;
        ended = true;
        clearTimeout(timer);
        clearTimeout(grace);
        this.#killers.delete(stop);
        resolve(record(event, target, status, { queuedMs, ...fields }));
      };
      // A later 'error' (a failed kill of a process that just ended) changes nothing; the
      // listener stays so that it is never an uncaught exception.
      child.on('error', (error) => {
        if (child.pid !== undefined) return;
        finish('failed', { durationMs: elapsed(), error: startError(file, error, this.#cwd) });
      });
      let exit: Pick<RunRecord, 'exitCode' | 'signal' | 'durationMs'> | null = null;
      const exited = (): void => {
        if (exit === null) return;
        const fields = { ...exit, stderrFirstLine: stderr.line() };
        if (killed !== null) finish(killed.status, { ...fields, error: killed.error });
        else if (exit.signal !== null) {
          finish('signalled', { ...fields, error: `ended by ${exit.signal}` });
        } else finish('exited', fields);
      };
      child.once('exit', (exitCode, signal) => {
        exit = { exitCode, signal, durationMs: elapsed() };
        // Nothing left to kill: its pid (and group id) may be reused from now on.
        clearTimeout(timer);
        this.#killers.delete(stop);
        if (stderr.complete) exited();
        else grace = setTimeout(exited, STDERR_GRACE_MS);
      });
      child.once('close', exited);
    });
  }
}

/** What makes a target impossible to run, before any process is started. */
function check(target: RunTarget): string | null {
  if (target.kind === 'url') {
    const url = URL.parse(target.url);
    // expand() only builds http(s) URLs; this guards the opener against any other caller.
    if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      return 'only http and https URLs are opened';
    }
    return null;
  }
  const at = target.argv.findIndex((word) => word.includes('\0'));
  if (at === 0) return 'the program name holds a NUL character';
  if (at > 0) return `argument ${at} holds a NUL character, which no program can receive`;
  return null;
}
