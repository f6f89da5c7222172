import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type HistoryRecord } from '../../../shared/model/line-table.ts';
import { HistoryStore } from './history-store.ts';
import { MIGRATIONS } from './history-schema.ts';
import { migrate, type Database } from './sqlite.ts';
import {
  freshHistoryProfileEachTest,
  record,
  openStore,
  ringing,
  rawDatabase,
} from './history.test-support.ts';
import { dir } from './store.test-support.ts';

freshHistoryProfileEachTest();

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
      [...kept].map((r) => ({ ...r, reason: null })).sort((x, y) => x.id.localeCompare(y.id)),
      'every row reads back exactly, without the reason version 1 had no column for',
    );
    assert.deepEqual(store.recoverInterrupted(9000), []);
    store.putActive(1, ringing('new', 8000), 8500);
    store.add(record('after', 5000));
    assert.equal(
      store.recent(10).find((r) => r.id === 'after')?.reason,
      'hung up by the far end',
      'the reason column exists after the migrations',
    );
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

  test('a version 3 file gains the tag: old rows have none, new calls keep theirs, also interrupted', () => {
    const v3 = rawDatabase();
    migrate(v3, MIGRATIONS.slice(0, 3));
    v3.exec(
      `INSERT INTO history
         (id, line, direction, number, caller_id, started_at, answered_at, ended_at, outcome, reason)
       VALUES ('old', 1, 'outbound', '187', '', 1000, NULL, 2000, 'unanswered', NULL)`,
    );
    v3.close();
    const store = openStore();
    assert.equal(Object.hasOwn(store.recent(1)[0] ?? {}, 'tag'), false);
    assert.deepEqual(store.recoverInterrupted(9000), []);
    store.add(record('tagged', 5000, { tag: 'Order 1234' }));
    store.putActive(1, { ...ringing('on-line', 6000), tag: 'Ticket 7' }, 6500);
    assert.equal(store.recent(1)[0]?.tag, 'Order 1234');
    store.close();
    const reopened = openStore();
    assert.deepEqual(
      reopened.recoverInterrupted(9000).map((r) => [r.id, r.outcome, r.tag]),
      [['on-line', 'interrupted', 'Ticket 7']],
    );
    reopened.close();
    const db = rawDatabase();
    assert.equal(userVersion(db), MIGRATIONS.length);
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
