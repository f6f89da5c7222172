import { existsSync } from 'node:fs';
import type { IntegraEvent } from '../../../../shared/protocols/integra.ts';

/**
 * What one Integra run left behind, for the integration log: the record's shape, the words
 * for a program that could not start, and the record as one log line.
 */

export type RunTarget =
  | { readonly kind: 'program'; readonly argv: readonly string[] }
  | { readonly kind: 'url'; readonly url: string };

export type RunStatus =
  /** The program ran and exited by itself (`exitCode` says how). */
  | 'exited'
  /** The program was ended by a signal it did not get from us. */
  | 'signalled'
  /** The program (and its process group) was killed at the time limit, or the URL hung. */
  | 'timed-out'
  /** It could not start (`error` says why), or the URL opener failed. */
  | 'failed'
  /** Not attempted: too many waiting, a NUL in an argument, a URL that is not http(s), closing. */
  | 'refused'
  /** The URL was handed to the opener, which accepted it. */
  | 'opened';

/** One run, as the integration log shows it. */
export interface RunRecord {
  readonly event: IntegraEvent;
  readonly target: RunTarget;
  readonly status: RunStatus;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** From `run` being called to the start: time spent waiting for a free slot. */
  readonly queuedMs: number;
  /** From the start to the end of the process (or of the opener). */
  readonly durationMs: number;
  /** The first non-blank line the program wrote to stderr, cut and with controls replaced. */
  readonly stderrFirstLine: string | null;
  /** Why it did not run or did not finish, in one line; null when it ran and exited. */
  readonly error: string | null;
}

const codeOf = (error: unknown): string =>
  error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : '';

export const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** A spawn failure in the words a user can act on. */
export function startError(file: string, error: unknown, cwd: string | undefined): string {
  switch (codeOf(error)) {
    case 'ENOENT':
      return cwd !== undefined && !existsSync(cwd)
        ? `working folder not found: ${cwd}`
        : `program not found: ${file}`;
    case 'EACCES':
      return `program not executable (permission denied): ${file}`;
    case 'EINVAL':
      if (process.platform === 'win32' && /\.(bat|cmd)$/i.test(file)) {
        return `batch files cannot run without a shell: ${file}; point the command at an .exe or powershell -File`;
      }
      return `could not start ${file}: ${messageOf(error)}`;
    default:
      return `could not start ${file}: ${messageOf(error)}`;
  }
}

export function record(
  event: IntegraEvent,
  target: RunTarget,
  status: RunStatus,
  fields: Partial<RunRecord>,
): RunRecord {
  return {
    event,
    target,
    status,
    exitCode: null,
    signal: null,
    queuedMs: 0,
    durationMs: 0,
    stderrFirstLine: null,
    error: null,
    ...fields,
  };
}

/** The record as one log line: JSON for the argv and URL, so no value can break the line. */
export function describeRunRecord(run: RunRecord): string {
  const what =
    run.target.kind === 'url'
      ? `opened ${JSON.stringify(run.target.url)}`
      : `ran ${JSON.stringify(run.target.argv)}`;
  const outcome =
    run.status === 'exited' ? `exit status ${String(run.exitCode)}` : (run.error ?? run.status);
  const stderr = run.stderrFirstLine === null ? '' : `; stderr: ${run.stderrFirstLine}`;
  return `${run.event} ${what}: ${outcome} after ${run.durationMs} ms${stderr}`;
}
