import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { HISTORY_FILE, HistoryStore } from './history-store.ts';
import {
  freshHistoryProfileEachTest,
  record,
  openStore,
  killWhen,
} from './history.test-support.ts';
import { dir } from './store.test-support.ts';

freshHistoryProfileEachTest();

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
      const nested = path.join(dir, 'nested', 'profile');
      const store = openStore(nested);
      store.close();
      assert.equal(fs.statSync(nested).mode & 0o777, 0o700);
      assert.equal(fs.statSync(path.join(nested, HISTORY_FILE)).mode & 0o777, 0o600);
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
    const opened = HistoryStore.open(dir, {
      onProblem: (message) => problems.push(message),
    });
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
