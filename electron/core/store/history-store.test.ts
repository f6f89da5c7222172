import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, test } from 'node:test';
import { endCall, type Call, type HistoryRecord } from '../../../shared/model/line-table.ts';
import { activeCallScenario } from './history-active-crash.fixture.ts';
import { HISTORY_FILE, HistoryStore, MIGRATIONS } from './history-store.ts';
import { migrate, openDatabase, type Database } from './sqlite.ts';
import { tempDir } from '../core.test-support.ts';

let dir = '';
beforeEach(() => {
  dir = tempDir('callbridge-history-');
});

function record(id: string, endedAt: number, extra: Partial<HistoryRecord> = {}): HistoryRecord {
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
    ...extra,
  };
}

function openStore(profileDir = dir, onProblem?: (message: string) => void): HistoryStore {
  const opened = HistoryStore.open(profileDir, onProblem ? { onProblem } : {});
  if (!opened.ok) assert.fail(opened.error);
  return opened.value;
}

/** A store ready for putActive: the previous run's calls recovered (none in a new file). */
function openRecovered(now = 0): HistoryStore {
  const store = openStore();
  assert.deepEqual(store.recoverInterrupted(now), []);
  return store;
}

function ringing(id: string, startedAt: number): Extract<Call, { phase: 'ringing' }> {
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
function interrupted(line: number, call: Call, endedAt: number): HistoryRecord {
  return { ...endCall(call, line, endedAt), outcome: 'interrupted' };
}

/**
 * Close `store` and start over on its file the way the next run of the core does: open,
 * recover the calls left on a line (at `now`), read the history back, close.
 */
function nextRun(
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
function rawDatabase(): Database {
  return openDatabase(path.join(dir, HISTORY_FILE), { durability: 'full' });
}

/**
 * Run a fixture and SIGKILL it as soon as `killNow` says so about one of its stdout lines.
 * Bounded: fails if that has not happened within `timeoutMs`, or if the child exits first.
 */
async function killWhen(
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

describe('HistoryStore', () => {
  test('a record reads back exactly as it was added', () => {
    const store = openStore();
    const answered = record('a', 1_700_000_000_000);
    const missed = record('b', 1_700_000_100_000, {
      line: 64,
      direction: 'outbound',
      number: '',
      callerId: 'Ünïcödé ☎ "quoted"',
      answeredAt: null,
      outcome: 'unanswered',
    });
    store.add(answered);
    store.add(missed);
    assert.deepEqual(store.recent(10), [missed, answered]);
    store.close();
  });

  test('newest ended first; ties by latest added; limit respected', () => {
    const store = openStore();
    store.add(record('old', 1000));
    store.add(record('tie-first', 3000));
    store.add(record('newest', 5000));
    store.add(record('tie-second', 3000));
    store.add(record('middle', 2000));
    const ids = (limit: number) => store.recent(limit).map((r) => r.id);
    assert.deepEqual(ids(10), ['newest', 'tie-second', 'tie-first', 'middle', 'old']);
    assert.deepEqual(ids(2), ['newest', 'tie-second']);
    assert.deepEqual(ids(0), []);
    assert.deepEqual(ids(-5), []);
    assert.deepEqual(ids(Number.NaN), []);
    assert.deepEqual(ids(2.9), ['newest', 'tie-second']);
    store.close();
  });

  test('adding the same id again neither duplicates nor rewrites the row', () => {
    const store = openStore();
    const first = record('same', 2000);
    store.add(first);
    store.add(first);
    store.add(record('same', 9000, { number: 'replayed' }));
    assert.deepEqual(store.recent(10), [first]);
    store.close();
  });

  test('rows survive close and reopen; close twice is harmless', () => {
    const store = openStore();
    for (let i = 0; i < 20; i++) store.add(record(`r${i}`, 1000 + i));
    store.close();
    store.close();
    const again = openStore();
    const ids = again.recent(100).map((r) => r.id);
    assert.equal(ids.length, 20);
    assert.equal(ids[0], 'r19');
    again.close();
  });

  test(
    'creates the profile folder and the file owner-only',
    { skip: process.platform === 'win32' },
    () => {
      const profile = path.join(dir, 'nested', 'profile');
      const store = openStore(profile);
      store.close();
      assert.equal(fs.statSync(profile).mode & 0o777, 0o700);
      assert.equal(fs.statSync(path.join(profile, HISTORY_FILE)).mode & 0o777, 0o600);
    },
  );

  test('a file that is not a database gives a clear error and stays byte for byte', () => {
    const file = path.join(dir, HISTORY_FILE);
    const garbage = Buffer.concat([
      Buffer.from("this is not SQLite, it is the user's precious data\n"),
      Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 31) % 256)),
    ]);
    fs.writeFileSync(file, garbage);
    const opened = HistoryStore.open(dir);
    assert.ok(!opened.ok);
    assert.match(opened.error, /history\.sqlite/);
    assert.ok(opened.error.includes(file), opened.error);
    assert.match(opened.error, /not a database/);
    assert.match(opened.error, /left as it is/);
    assert.deepEqual(fs.readFileSync(file), garbage);
  });

  test('a database with a foreign schema is refused and left as it is', () => {
    const store = openStore();
    store.add(record('x', 1));
    store.close();
    // Pretend a newer Callbridge migrated the file further.
    const file = path.join(dir, HISTORY_FILE);
    const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
    const db = new DatabaseSync(file);
    db.exec('PRAGMA user_version = 99');
    db.close();
    const before = fs.readFileSync(file);
    const opened = HistoryStore.open(dir);
    assert.ok(!opened.ok);
    assert.match(opened.error, /schema version is 99/);
    assert.deepEqual(fs.readFileSync(file), before);
  });

  test('a damaged row is skipped and reported, the others still read', () => {
    const store = openStore();
    store.add(record('good', 1000));
    store.add(record('bad', 2000));
    store.close();
    const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
    const db = new DatabaseSync(path.join(dir, HISTORY_FILE));
    // Bypass STRICT's checks the way a damaged or hand-edited file might.
    db.exec("UPDATE history SET started_at = 9007199254740993 WHERE id = 'bad'");
    db.close();
    const problems: string[] = [];
    const opened = HistoryStore.open(dir, { onProblem: (message) => problems.push(message) });
    assert.ok(opened.ok);
    assert.deepEqual(
      opened.value.recent(10).map((r) => r.id),
      ['good'],
    );
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /started_at is not a whole number \(id bad\)/);
    opened.value.close();
  });

  test(
    'crash: every acknowledged row survives SIGKILL of the writer',
    { timeout: 30_000 },
    async () => {
      // What this proves: `add` has committed its row (handed it to the OS in the WAL)
      // before it returns, so nothing acknowledged is held in the process. A SIGKILL leaves
      // the OS page cache intact, so it cannot show that the fsync reached the disk; the
      // pragmas test below checks the synchronous=FULL that makes that so.
      const acked: string[] = [];
      await killWhen('history-crash-writer.fixture.ts', [dir, '100000'], (line) => {
        const match = /^ack (\S+)$/.exec(line);
        if (match?.[1] !== undefined) acked.push(match[1]);
        return acked.length >= 50;
      });
      const store = openStore();
      const stored = new Set(store.recent(100_000).map((r) => r.id));
      store.close();
      const missing = acked.filter((id) => !stored.has(id));
      assert.deepEqual(missing, [], `acknowledged but lost: ${missing.join(', ')}`);
      assert.ok(stored.size >= acked.length);
    },
  );

  test('the connection it writes with is in WAL mode with synchronous=FULL', () => {
    const store = openStore();
    // Read back from SQLite on the store's own connection (synchronous is per connection):
    // 2 is FULL, which fsyncs the WAL on every commit.
    assert.deepEqual(store.pragmas(), { journalMode: 'wal', synchronous: 2 });
    store.close();
  });
});

describe('HistoryStore: calls on a line', () => {
  test('calls left on a line come back as interrupted, ended at their last sign of life', () => {
    const store = openRecovered();
    const a = ringing('a', 1000);
    const b = { ...ringing('b', 2000), direction: 'outbound' as const, phase: 'dialing' as const };
    const c = { ...ringing('c', 3000), phase: 'established' as const, answeredAt: 3500 };
    const held = { ...c, phase: 'held' as const, heldAt: 3900 };
    store.putActive(1, a, 1100);
    store.putActive(2, b, 2100);
    store.putActive(3, c, 3500);
    store.putActive(3, held, 3900);
    store.close();

    const again = openStore();
    const recovered = again.recoverInterrupted(10_000);
    const expected = [interrupted(3, held, 3900), interrupted(2, b, 2100), interrupted(1, a, 1100)];
    assert.deepEqual(recovered, expected);
    assert.equal(recovered[0]?.answeredAt, 3500, 'an answered call keeps its answer time');
    assert.deepEqual(again.recent(10), expected);
    // The lines are free again, and a second recovery in this run leaves its live calls be.
    const live = ringing('live', 15_000);
    again.putActive(1, live, 15_000);
    assert.deepEqual(again.recoverInterrupted(20_000), [], 'only once per open');
    assert.deepEqual(again.recent(10), expected);
    again.close();

    const third = openStore();
    assert.deepEqual(third.recoverInterrupted(30_000), [interrupted(1, live, 15_000)]);
    assert.deepEqual(third.recent(10), [interrupted(1, live, 15_000), ...expected]);
    third.close();
  });

  test('seen_at never moves back; markAlive moves it on; the end stays within start..now', () => {
    const store = openRecovered();
    const early = ringing('early', 5000);
    store.putActive(1, early, 7000);
    const late = ringing('late', 1000);
    store.putActive(2, late, 1500);
    store.markAlive(8000);
    store.putActive(1, early, 7500);
    // Clock trouble: seen in the future of `now`, and seen before the call started.
    store.putActive(3, ringing('future', 1000), 99_000);
    store.putActive(4, ringing('before-start', 9000), 10);
    const { recovered, history } = nextRun(store, 20_000);
    assert.deepEqual(Object.fromEntries(recovered.map((r) => [r.id, r.endedAt])), {
      early: 8000,
      late: 8000,
      future: 20_000,
      'before-start': 9000,
    });
    // Newest end first, ties latest added first: the same order the history reads back in.
    const order = ['future', 'before-start', 'late', 'early'];
    assert.deepEqual(
      recovered.map((r) => r.id),
      order,
    );
    assert.deepEqual(
      history.map((r) => r.id),
      order,
    );
  });

  test('putActive and markAlive refuse to run before recoverInterrupted', () => {
    const store = openStore();
    assert.throws(() => store.putActive(1, ringing('x', 1)), /recoverInterrupted\(\) must run/);
    assert.throws(() => store.markAlive(1), /recoverInterrupted\(\) must run/);
    store.recoverInterrupted(2);
    store.putActive(1, ringing('x', 1), 2);
    store.close();
  });

  test('endCall records the call and takes it off its line in one step', () => {
    const store = openRecovered();
    const call = ringing('e', 1000);
    store.putActive(1, call, 1000);
    const ended = record('e', 2000, { line: 1, answeredAt: null, outcome: 'missed' });
    store.endCall(ended);
    store.putActive(1, ringing('next', 3000), 3000);
    store.removeActive('next');
    store.removeActive('never-there');
    assert.deepEqual(nextRun(store, 5000), { recovered: [], history: [ended] });
  });

  test('a second call on a line whose call never ended is refused; atomically undoes it all', () => {
    const store = openRecovered();
    const first = ringing('first', 1000);
    store.putActive(1, first, 1000);
    assert.throws(() => store.putActive(1, ringing('second', 2000), 2000), /UNIQUE/);
    const ended = record('other', 1500, { line: 2 });
    assert.throws(
      () =>
        store.atomically(() => {
          store.endCall(ended);
          store.putActive(1, ringing('second', 2000), 2000);
        }),
      /UNIQUE/,
    );
    // A call ending and the next starting on its line, together.
    store.atomically(() => {
      store.endCall(record('first', 2000, { line: 1 }));
      store.putActive(1, ringing('third', 2000), 2000);
    });
    const { recovered, history } = nextRun(store, 9000);
    assert.deepEqual(
      recovered.map((r) => r.id),
      ['third'],
    );
    assert.deepEqual(
      history.map((r) => [r.id, r.outcome]),
      [
        ['third', 'interrupted'],
        ['first', 'answered'],
      ],
      'the refused transition left nothing behind',
    );
  });

  test('a call added to the history but left on its line is not recorded twice', () => {
    const store = openRecovered();
    store.putActive(1, ringing('dup', 1000), 1000);
    const ended = record('dup', 2000, { line: 1 });
    store.add(ended);
    assert.deepEqual(nextRun(store, 9000), { recovered: [], history: [ended] });
  });

  test('a damaged active row is reported and dropped; the others are recovered', () => {
    const store = openRecovered();
    store.putActive(1, ringing('good', 1000), 1000);
    store.putActive(2, ringing('bad', 1000), 1000);
    // Behind the store's back, on a second connection, as damage would.
    const db = rawDatabase();
    db.exec("UPDATE active_call SET started_at = 9007199254740993 WHERE id = 'bad'");
    db.close();
    const problems: string[] = [];
    const { recovered, history } = nextRun(store, 5000, (message) => problems.push(message));
    assert.deepEqual(
      recovered.map((r) => r.id),
      ['good'],
    );
    assert.deepEqual(history, recovered);
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /started_at is not a whole number \(id bad\)/);
  });

  test(
    'crash: the calls on a line at SIGKILL are recovered as interrupted, exactly once',
    { timeout: 30_000 },
    async () => {
      const base = 1_700_000_000_000;
      const scenario = activeCallScenario(base);
      let acked = -1;
      await killWhen('history-active-crash.fixture.ts', [dir, String(base)], (line) => {
        const match = /^ack (\d+)$/.exec(line);
        if (match) acked = Number(match[1]);
        return line === 'ready';
      });
      assert.equal(acked, scenario.length - 1, 'every transition was acknowledged');

      // What the killed process had acknowledged: each call's last state on its line.
      const onLine = new Map<string, HistoryRecord>();
      const endedNormally: HistoryRecord[] = [];
      for (const transition of scenario) {
        for (const ended of transition.ended) {
          onLine.delete(ended.id);
          endedNormally.push(ended);
        }
        const { put } = transition;
        if (put) onLine.set(put.call.id, interrupted(put.line, put.call, put.seenAt));
      }
      const expected = [...onLine.values()].sort((x, y) => y.endedAt - x.endedAt);
      assert.deepEqual(
        expected.map((r) => r.id),
        ['G', 'D', 'C', 'B', 'A'],
      );

      const store = openStore();
      assert.deepEqual(store.recoverInterrupted(Date.now()), expected);
      store.close();
      const again = openStore();
      assert.deepEqual(again.recoverInterrupted(Date.now()), [], 'recovered once only');
      const history = again.recent(100);
      again.close();
      const byEnd = [...expected, ...endedNormally].sort((x, y) => y.endedAt - x.endedAt);
      assert.deepEqual(
        history.map((r) => [r.id, r.outcome]),
        byEnd.map((r) => [r.id, r.outcome]),
      );
      assert.deepEqual(
        history.filter((r) => r.outcome === 'interrupted'),
        expected,
      );
    },
  );
});

describe('HistoryStore: schema migrations', () => {
  /** A file exactly as version 1 (the first shipped schema) left it, with the given rows. */
  function versionOneFile(rows: readonly HistoryRecord[]): void {
    const db = rawDatabase();
    migrate(db, MIGRATIONS.slice(0, 1));
    const insert = db.prepare(
      `INSERT INTO history
         (id, line, direction, number, caller_id, started_at, answered_at, ended_at, outcome)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const r of rows) {
      insert.run(
        r.id,
        r.line,
        r.direction,
        r.number,
        r.callerId,
        r.startedAt,
        r.answeredAt,
        r.endedAt,
        r.outcome,
      );
    }
    db.close();
  }

  const userVersion = (db: Database) => db.prepare('PRAGMA user_version').get()?.['user_version'];
  const seqs = (db: Database) =>
    db
      .prepare('SELECT seq, id FROM history ORDER BY seq')
      .all()
      .map((row) => `${String(row['seq'])}:${String(row['id'])}`);

  test('a version 1 file opens with every row, its order and seq; interrupted fits after', () => {
    const rows = [
      record('one', 1000),
      record('tie-first', 3000, { answeredAt: null, outcome: 'missed' }),
      record('gone', 4000),
      record('tie-second', 3000, {
        direction: 'outbound',
        answeredAt: null,
        outcome: 'unanswered',
      }),
      record('last', 2000, { line: 64, number: '', callerId: 'Ünïcödé ☎' }),
    ];
    versionOneFile(rows);
    // A gap in seq, as a deleted row would leave one.
    const v1 = rawDatabase();
    v1.exec("DELETE FROM history WHERE id = 'gone'");
    const before = seqs(v1);
    assert.equal(userVersion(v1), 1);
    v1.close();
    const kept = rows.filter((r) => r.id !== 'gone');
    const newestFirst = ['last', 'one'];

    const store = openStore();
    assert.deepEqual(
      store.recent(10).map((r) => r.id),
      ['tie-second', 'tie-first', ...newestFirst],
    );
    assert.deepEqual(
      store.recent(10).sort((x, y) => x.id.localeCompare(y.id)),
      [...kept].sort((x, y) => x.id.localeCompare(y.id)),
      'every row reads back exactly',
    );
    assert.deepEqual(store.recoverInterrupted(9000), []);
    store.putActive(1, ringing('new', 8000), 8500);
    store.add(record('after', 5000));
    store.close();
    const reopened = openStore();
    assert.deepEqual(
      reopened.recoverInterrupted(9000).map((r) => [r.id, r.outcome]),
      [['new', 'interrupted']],
    );
    reopened.close();

    const db = rawDatabase();
    assert.equal(userVersion(db), MIGRATIONS.length);
    assert.deepEqual(seqs(db), [...before, '6:after', '7:new'], 'seq kept; new rows go after');
    const objects = db
      .prepare("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
      .all()
      .map((row) => `${String(row['type'])} ${String(row['name'])}`);
    assert.deepEqual(objects, ['table active_call', 'table history', 'index history_newest_first']);
    db.close();
  });

  test('a migration that fails leaves the version 1 file as it was', () => {
    versionOneFile([record('fine', 1000)]);
    // A row the new schema refuses (only a hand-edited file could hold it).
    const v1 = rawDatabase();
    v1.exec('PRAGMA ignore_check_constraints = ON');
    v1.exec(
      `INSERT INTO history
         (id, line, direction, number, caller_id, started_at, answered_at, ended_at, outcome)
       VALUES ('odd', 1, 'inbound', '1', '', 1, NULL, 2, 'bogus')`,
    );
    v1.close();
    const opened = HistoryStore.open(dir);
    assert.ok(!opened.ok);
    assert.match(opened.error, /CHECK constraint failed/);
    assert.match(opened.error, /left as it is/);
    const db = rawDatabase();
    assert.equal(userVersion(db), 1);
    assert.deepEqual(seqs(db), ['1:fine', '2:odd']);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    assert.deepEqual(
      tables.map((row) => row['name']),
      ['history'],
    );
    db.close();
  });
});
