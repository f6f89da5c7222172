import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempDir } from '../core.test-support.ts';
import { openDatabase, transaction, type Database } from './sqlite.ts';

/** node:sqlite rows have no prototype, so read the one column. */
const pragma = (db: Database, name: string): unknown => db.prepare(`PRAGMA ${name}`).get()?.[name];

describe('openDatabase', () => {
  const dir = tempDir('callbridge-sqlite-');

  it('gives history WAL and synchronous=FULL, so an acknowledged row survives a crash', () => {
    const db = openDatabase(join(dir, 'full.sqlite'), { durability: 'full' });
    assert.equal(pragma(db, 'journal_mode'), 'wal');
    assert.equal(pragma(db, 'synchronous'), 2);
    assert.equal(pragma(db, 'foreign_keys'), 1);
    db.close();
  });

  it('uses synchronous=NORMAL where durability may be traded for speed', () => {
    const db = openDatabase(join(dir, 'normal.sqlite'), { durability: 'normal' });
    assert.equal(pragma(db, 'synchronous'), 1);
    db.close();
  });
});

describe('transaction', () => {
  const dir = tempDir('callbridge-sqlite-tx-');
  const ids = (db: Database) =>
    db
      .prepare('SELECT id FROM t ORDER BY id')
      .all()
      .map((row) => row['id']);

  it('commits all or nothing; a nested failure the caller catches undoes only itself', () => {
    const db = openDatabase(join(dir, 'tx.sqlite'), { durability: 'full' });
    db.exec('CREATE TABLE t (id TEXT PRIMARY KEY) STRICT');
    const insert = db.prepare('INSERT INTO t (id) VALUES (?)');
    const result = transaction(db, () => {
      insert.run('outer-1');
      assert.throws(() =>
        transaction(db, () => {
          insert.run('inner');
          insert.run('outer-1');
        }),
      );
      transaction(db, () => insert.run('nested-ok'));
      insert.run('outer-2');
      return 'done';
    });
    assert.equal(result, 'done');
    assert.deepEqual(ids(db), ['nested-ok', 'outer-1', 'outer-2']);
    assert.throws(
      () =>
        transaction(db, () => {
          insert.run('lost');
          transaction(db, () => insert.run('lost-too'));
          throw new Error('changed my mind');
        }),
      /changed my mind/,
    );
    assert.deepEqual(ids(db), ['nested-ok', 'outer-1', 'outer-2']);
    // Back at depth 0: the next call is a transaction of its own again.
    transaction(db, () => insert.run('later'));
    assert.deepEqual(ids(db), ['later', 'nested-ok', 'outer-1', 'outer-2']);
    db.close();
  });
});
