import fs from 'node:fs';
import path from 'node:path';
import type { CallOutcome, Direction, HistoryRecord } from '../../../shared/model/line-table.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { migrate, openDatabase, type Database, type Statement } from './sqlite.ts';
import { ensureProfileDir } from './settings-store.ts';

export const HISTORY_FILE = 'history.sqlite';

/** More than any screen shows; keeps one call from reading the whole file into memory. */
export const MAX_RECENT = 10_000;

/**
 * Append-only, so migrations only ever add. `seq` is the rowid: it records insertion
 * order, which breaks ties between calls that ended in the same millisecond. STRICT makes
 * SQLite refuse a value of the wrong type instead of storing it.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE history (
     seq INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     line INTEGER NOT NULL CHECK (line >= 1),
     direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
     number TEXT NOT NULL,
     caller_id TEXT NOT NULL,
     started_at INTEGER NOT NULL,
     answered_at INTEGER,
     ended_at INTEGER NOT NULL,
     outcome TEXT NOT NULL CHECK (outcome IN ('answered', 'missed', 'unanswered'))
   ) STRICT;
   CREATE INDEX history_newest_first ON history (ended_at DESC, seq DESC);`,
];

export interface HistoryStoreOptions {
  /** Told about rows that cannot be read back (a hand-edited or damaged file). */
  readonly onProblem?: (message: string) => void;
}

/**
 * Ended calls, one row each, in `history.sqlite` in the profile folder. Writes are
 * synchronous and durable: when `add` returns, the row is committed and fsynced, so the
 * history never loses a call that the UI or an integration was told about.
 */
export class HistoryStore {
  readonly file: string;
  readonly #db: Database;
  readonly #insert: Statement;
  readonly #recent: Statement;
  readonly #onProblem: (message: string) => void;
  #closed = false;

  private constructor(file: string, db: Database, onProblem: (message: string) => void) {
    this.file = file;
    this.#db = db;
    this.#onProblem = onProblem;
    // A replayed record (same id) is ignored, never duplicated and never rewritten.
    this.#insert = db.prepare(
      `INSERT INTO history
         (id, line, direction, number, caller_id, started_at, answered_at, ended_at, outcome)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    );
    this.#recent = db.prepare(
      `SELECT id, line, direction, number, caller_id, started_at, answered_at, ended_at, outcome
       FROM history ORDER BY ended_at DESC, seq DESC LIMIT ?`,
    );
    // Read integers as BigInt: a damaged row with a huge number would otherwise throw
    // inside SQLite's row conversion instead of reaching our validation.
    this.#recent.setReadBigInts(true);
  }

  /**
   * Open or create the history in `profileDir`. An existing file that cannot be opened,
   * is not a database or has a schema this version does not know is reported with its
   * path and left exactly as it is: the store never deletes or overwrites a user's file.
   */
  static open(profileDir: string, options: HistoryStoreOptions = {}): Result<HistoryStore, string> {
    const file = path.join(profileDir, HISTORY_FILE);
    let db: Database | undefined;
    try {
      ensureProfileDir(profileDir);
      // Create the file owner-only before SQLite does (SQLite would use 0644); the WAL
      // and shared-memory files copy its permissions. Flag 'a' never truncates.
      fs.closeSync(fs.openSync(file, 'a', 0o600));
      db = openDatabase(file, { durability: 'full' });
      migrate(db, MIGRATIONS);
      return ok(new HistoryStore(file, db, options.onProblem ?? (() => undefined)));
    } catch (error) {
      db?.close();
      return err(
        `the call history ${file} could not be opened: ${describe(error)}. ` +
          'The file was left as it is; move it elsewhere to start a new history.',
      );
    }
  }

  /**
   * Record one ended call. Returns only once the row is committed with synchronous=FULL.
   * Adding a record whose id is already stored does nothing. Throws when the row cannot
   * be written (disk full, store closed), so a caller never acknowledges a lost call.
   */
  add(record: HistoryRecord): void {
    this.#insert.run(
      record.id,
      record.line,
      record.direction,
      record.number,
      record.callerId,
      record.startedAt,
      record.answeredAt,
      record.endedAt,
      record.outcome,
    );
  }

  /**
   * Up to `limit` calls, the latest ended first; calls that ended in the same millisecond
   * come latest added first. Rows that do not read back as a valid record are skipped and
   * reported through `onProblem`, as is a read that fails part way.
   */
  recent(limit: number): HistoryRecord[] {
    const count = Number.isFinite(limit) ? Math.min(Math.trunc(limit), MAX_RECENT) : 0;
    const records: HistoryRecord[] = [];
    if (count <= 0) return records;
    try {
      for (const row of this.#recent.iterate(count)) {
        const record = toRecord(row);
        if (typeof record === 'string') this.#onProblem(`${this.file}: skipped a row: ${record}`);
        else records.push(record);
      }
    } catch (error) {
      this.#onProblem(`${this.file}: reading the history stopped early: ${describe(error)}`);
    }
    return records;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type Row = Record<string, unknown>;

const DIRECTIONS: readonly Direction[] = ['inbound', 'outbound'];
const OUTCOMES: readonly CallOutcome[] = ['answered', 'missed', 'unanswered'];

function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw new Error(`${column} is not text`);
  return value;
}

function integer(row: Row, column: string): number {
  const value = row[column];
  const number = typeof value === 'bigint' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
    throw new Error(`${column} is not a whole number`);
  }
  return number;
}

function oneOf<T extends string>(row: Row, column: string, allowed: readonly T[]): T {
  const value = text(row, column);
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) throw new Error(`${column} is not one of ${allowed.join(', ')}`);
  return found;
}

/** The row as a record, or what is wrong with it (with the row's id where it has one). */
function toRecord(row: Row): HistoryRecord | string {
  try {
    const line = integer(row, 'line');
    if (line < 1) throw new Error('line is below 1');
    return {
      id: text(row, 'id'),
      line,
      direction: oneOf(row, 'direction', DIRECTIONS),
      number: text(row, 'number'),
      callerId: text(row, 'caller_id'),
      startedAt: integer(row, 'started_at'),
      answeredAt: row['answered_at'] === null ? null : integer(row, 'answered_at'),
      endedAt: integer(row, 'ended_at'),
      outcome: oneOf(row, 'outcome', OUTCOMES),
    };
  } catch (error) {
    const id = typeof row['id'] === 'string' ? ` (id ${row['id']})` : '';
    return `${describe(error)}${id}`;
  }
}
