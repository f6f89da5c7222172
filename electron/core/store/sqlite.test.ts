import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from './sqlite.ts';

/** node:sqlite rows have no prototype, so read the one column. */
const pragma = (db: Database, name: string): unknown => db.prepare(`PRAGMA ${name}`).get()?.[name];

describe('openDatabase', () => {
  const dir = mkdtempSync(join(tmpdir(), 'callbridge-sqlite-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

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
