import { DatabaseSync } from 'node:sqlite';

/**
 * The one place that knows the storage engine. Stores get a connection and a migration
 * helper from here and nothing else, so moving to another embedded SQLite binding means
 * changing this file only.
 *
 * Requirement: `node:sqlite` without a flag, which Node has from 22.13 (it appeared behind
 * `--experimental-sqlite` in 22.5). Electron 45 ships Node 22.x; the packaged app needs
 * that Node to be 22.13 or newer with `node:sqlite` compiled in. Native modules are not an
 * option here (they need an Electron rebuild that these machines cannot do). Only options
 * and methods that exist in Node 22.13 are used below; the busy timeout, for example, is a
 * pragma rather than the constructor's `timeout`, which arrived in Node 24.
 */

export type { DatabaseSync as Database, StatementSync as Statement } from 'node:sqlite';

export interface OpenOptions {
  /**
   * 'full': every commit is fsynced before it returns, so an acknowledged write survives a
   * crash or power cut. 'normal': in WAL mode still safe against an app crash, but the
   * last commits may be lost on power failure; for data that can be rebuilt.
   */
  readonly durability: 'full' | 'normal';
  /** How long a write waits for another connection's lock. Milliseconds. */
  readonly busyTimeoutMs?: number;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * Open (or create) a database file. Throws the SQLite error when the file cannot be
 * opened or is not a database. The first statement only reads, so a file that is not a
 * database fails before any pragma could write to it: the caller's file is left as it was.
 */
export function openDatabase(path: string, options: OpenOptions): DatabaseSync {
  const db = new DatabaseSync(path, { enableForeignKeyConstraints: true });
  try {
    db.prepare('SELECT count(*) AS n FROM sqlite_master').get();
    const timeout = Math.max(0, Math.trunc(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS));
    db.exec(`PRAGMA busy_timeout = ${timeout}`);
    const mode = db.prepare('PRAGMA journal_mode = WAL').get();
    if (mode?.['journal_mode'] !== 'wal' && path !== ':memory:') {
      throw new Error(
        `could not switch to WAL mode (journal mode is ${String(mode?.['journal_mode'])})`,
      );
    }
    db.exec(`PRAGMA synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    db.exec('PRAGMA foreign_keys = ON');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function userVersion(db: DatabaseSync): number {
  const row = db.prepare('PRAGMA user_version').get();
  const version = row?.['user_version'];
  return typeof version === 'number' ? version : 0;
}

/**
 * Bring the schema up to date. `migrations[i]` takes the schema from version i to i + 1;
 * `PRAGMA user_version` records how many have run. All pending migrations run in one
 * transaction, so a failure leaves the file exactly at its old version. Migrations are
 * append-only: never edit one that has shipped.
 *
 * Throws when the file is newer than the migrations known here (an older Callbridge must
 * not write to a newer schema) or when a migration fails.
 */
export function migrate(db: DatabaseSync, migrations: readonly string[]): void {
  if (userVersion(db) === migrations.length) return;
  // IMMEDIATE takes the write lock now, so two processes cannot both migrate.
  db.exec('BEGIN IMMEDIATE');
  try {
    const from = userVersion(db);
    if (from > migrations.length) {
      throw new Error(
        `its schema version is ${from}, newer than this version of Callbridge knows (${migrations.length})`,
      );
    }
    for (const sql of migrations.slice(from)) db.exec(sql);
    db.exec(`PRAGMA user_version = ${migrations.length}`);
    db.exec('COMMIT');
  } catch (error) {
    try {
      db.exec('ROLLBACK');
    } catch {
      // SQLite already rolled back on its own (some errors do); nothing left to undo.
    }
    throw error;
  }
}

/** How deep each connection is in `transaction` calls; 0 (absent) means no transaction. */
const depths = new WeakMap<DatabaseSync, number>();

/**
 * Run `work` as one transaction: everything it writes commits together (one commit, so one
 * WAL fsync under synchronous=FULL) or not at all. Nested calls become savepoints, so a
 * store method that is atomic on its own stays atomic when a caller groups several of them,
 * and a nested failure the caller catches undoes only its own part. The outermost level
 * takes the write lock at once (IMMEDIATE), so it waits on another connection's lock with
 * the busy timeout instead of failing when a read would have to turn into a write.
 *
 * Throws what `work` or SQLite threw, after rolling back.
 */
export function transaction<T>(db: DatabaseSync, work: () => T): T {
  const depth = depths.get(db) ?? 0;
  const savepoint = `nested_${depth}`;
  db.exec(depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${savepoint}`);
  depths.set(db, depth + 1);
  try {
    const result = work();
    db.exec(depth === 0 ? 'COMMIT' : `RELEASE ${savepoint}`);
    return result;
  } catch (error) {
    try {
      db.exec(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
    } catch {
      // SQLite already rolled back on its own (some errors do); nothing left to undo.
    }
    throw error;
  } finally {
    depths.set(db, depth);
  }
}
