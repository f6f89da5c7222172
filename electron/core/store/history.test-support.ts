import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { endCall, type Call, type HistoryRecord } from '../../../shared/model/line-table.ts';
import { HISTORY_FILE, HistoryStore } from './history-store.ts';
import { openDatabase, type Database } from './sqlite.ts';
import { dir, freshProfileEachTest } from './store.test-support.ts';

/** What the history store's test files share: a profile per test, records, calls, a fixture runner. */

/** A fresh profile folder (`dir`) for each test of the file that calls this at its top. */
export const freshHistoryProfileEachTest = (): void => {
  freshProfileEachTest('callbridge-history-', HISTORY_FILE);
};

export function record(
  id: string,
  endedAt: number,
  extra: Partial<HistoryRecord> = {},
): HistoryRecord {
  return {
    id,
    line: 2,
    direction: 'inbound',
    number: '+493012345',
    callerId: 'Erika Mustermann',
    startedAt: endedAt - 60_000,
    answeredAt: endedAt - 50_000,
    endedAt,
    outcome: 'answered',
    reason: 'hung up by the far end',
    ...extra,
  };
}

export function openStore(profileDir = dir, onProblem?: (message: string) => void): HistoryStore {
  const opened = HistoryStore.open(profileDir, onProblem ? { onProblem } : {});
  if (!opened.ok) assert.fail(opened.error);
  return opened.value;
}

/** A store ready for putActive: the previous run's calls recovered (none in a new file). */
export function openRecovered(now = 0): HistoryStore {
  const store = openStore();
  assert.deepEqual(store.recoverInterrupted(now), []);
  return store;
}

export function ringing(id: string, startedAt: number): Extract<Call, { phase: 'ringing' }> {
  return {
    id,
    direction: 'inbound',
    number: `+49301${id}`,
    callerId: `Caller ${id}`,
    startedAt,
    ref: null,
    phase: 'ringing',
  };
}

/** The history row an interrupted call leaves: as if it had ended then, but 'interrupted'. */
export function interrupted(line: number, call: Call, endedAt: number): HistoryRecord {
  return { ...endCall(call, line, endedAt), outcome: 'interrupted' };
}

/**
 * Close `store` and start over on its file the way the next run of the core does: open,
 * recover the calls left on a line (at `now`), read the history back, close.
 */
export function nextRun(
  store: HistoryStore,
  now: number,
  onProblem?: (message: string) => void,
): { readonly recovered: HistoryRecord[]; readonly history: HistoryRecord[] } {
  store.close();
  const again = openStore(dir, onProblem);
  const recovered = again.recoverInterrupted(now);
  const history = again.recent(100);
  again.close();
  return { recovered, history };
}

/** The file itself, behind the store's back, the way older versions or damage left it. */
export function rawDatabase(): Database {
  return openDatabase(path.join(dir, HISTORY_FILE), { durability: 'full' });
}

/**
 * Run a fixture and SIGKILL it as soon as `killNow` says so about one of its stdout lines.
 * Bounded: fails if that has not happened within `timeoutMs`, or if the child exits first.
 */
export async function killWhen(
  fixture: string,
  args: readonly string[],
  killNow: (line: string) => boolean,
  timeoutMs = 20_000,
): Promise<void> {
  const child = spawn(process.execPath, [path.join(import.meta.dirname, fixture), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve(signal ?? code);
    });
  });
  let killed = false;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${fixture} did not get there within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      if (!killed && lines.some(killNow)) {
        killed = true;
        clearTimeout(timer);
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      if (!killed) reject(new Error(`${fixture} exited early; stderr: ${stderr}`));
    });
  });
  assert.equal(await exited, 'SIGKILL');
}
