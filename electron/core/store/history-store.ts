import fs from 'node:fs';
import path from 'node:path';
import type { Call, HistoryRecord } from '../../../shared/model/line-table.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { migrate, openDatabase, transaction, type Database, type Statement } from './sqlite.ts';
import { describeError, MIGRATIONS, toInterrupted, toRecord } from './history-schema.ts';
import { ensureProfileDir } from './settings-store.ts';

export const HISTORY_FILE = 'history.sqlite';

/** More than any screen shows; keeps one call from reading the whole file into memory. */
export const MAX_RECENT = 10_000;

export interface HistoryStoreOptions {
  /** Told about rows that cannot be read back (a hand-edited or damaged file). */
  readonly onProblem?: (message: string) => void;
}

/**
 * Ended calls, one row each, in `history.sqlite` in the profile folder, and the calls now
 * on a line (`active_call`), so that a call the core was told about is never lost: whatever
 * was still on a line when the process died becomes an 'interrupted' history row on the
 * next start (`recoverInterrupted`). Writes are synchronous and durable: when a write
 * method returns, its rows are committed and fsynced (one fsync per call, or per
 * `atomically` group).
 */
export class HistoryStore {
  readonly file: string;
  readonly #db: Database;
  readonly #insert: Statement;
  readonly #recent: Statement;
  readonly #putActive: Statement;
  readonly #removeActive: Statement;
  readonly #markAlive: Statement;
  readonly #active: Statement;
  readonly #clearActive: Statement;
  readonly #onProblem: (message: string) => void;
  #recovered = false;
  #closed = false;

  private constructor(file: string, db: Database, onProblem: (message: string) => void) {
    this.file = file;
    this.#db = db;
    this.#onProblem = onProblem;
    // A replayed record (same id) is ignored, never duplicated and never rewritten.
    this.#insert = db.prepare(
      `INSERT INTO history
         (id, line, direction, number, caller_id, started_at, answered_at, ended_at, outcome, reason, tag)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    );
    this.#recent = db.prepare(
      `SELECT id, line, direction, number, caller_id, started_at, answered_at, ended_at, outcome, reason, tag
       FROM history ORDER BY ended_at DESC, seq DESC LIMIT ?`,
    );
    // Read integers as BigInt: a damaged row with a huge number would otherwise throw
    // inside SQLite's row conversion instead of reaching our validation.
    this.#recent.setReadBigInts(true);
    // Keyed by call id; the UNIQUE line makes putting a second call on a line whose call
    // was never ended fail, instead of silently replacing (and so losing) the first one.
    this.#putActive = db.prepare(
      `INSERT INTO active_call
         (id, line, direction, number, caller_id, phase, started_at, answered_at, held_at, seen_at, tag)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET
         line = excluded.line, direction = excluded.direction, number = excluded.number,
         caller_id = excluded.caller_id, phase = excluded.phase, tag = excluded.tag,
         started_at = excluded.started_at, answered_at = excluded.answered_at,
         held_at = excluded.held_at, seen_at = max(seen_at, excluded.seen_at)`,
    );
    this.#removeActive = db.prepare('DELETE FROM active_call WHERE id = ?');
    this.#markAlive = db.prepare('UPDATE active_call SET seen_at = max(seen_at, ?)');
    this.#active = db.prepare(
      `SELECT id, line, direction, number, caller_id, started_at, answered_at, seen_at, tag
       FROM active_call ORDER BY rowid`,
    );
    this.#active.setReadBigInts(true);
    this.#clearActive = db.prepare('DELETE FROM active_call');
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
        `the call history ${file} could not be opened: ${describeError(error)}. ` +
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
    this.#insertRecord(record);
  }

  /** True when the row was new. */
  #insertRecord(record: HistoryRecord): boolean {
    const result = this.#insert.run(
      record.id,
      record.line,
      record.direction,
      record.number,
      record.callerId,
      record.startedAt,
      record.answeredAt,
      record.endedAt,
      record.outcome,
      record.reason,
      record.tag ?? null,
    );
    return Number(result.changes) > 0;
  }

  /**
   * The call now on `line`, inserted or updated, before the switchboard acknowledges the
   * transition. `seenAt` (epoch ms, default now) is when the call was last known to be on
   * the line; it never moves backwards. Throws when the row cannot be written, when
   * another call is still recorded on that line (end it first, e.g. with `endCall` in the
   * same `atomically`), or when `recoverInterrupted` has not run yet on this store (the
   * rows left by the previous run would otherwise be mistaken for live calls).
   */
  putActive(line: number, call: Call, seenAt: number = Date.now()): void {
    this.#requireRecovered('putActive');
    const answeredAt =
      call.phase === 'established' || call.phase === 'held' ? call.answeredAt : null;
    this.#putActive.run(
      call.id,
      line,
      call.direction,
      call.number,
      call.callerId,
      call.phase,
      call.startedAt,
      answeredAt,
      call.phase === 'held' ? call.heldAt : null,
      seenAt,
      call.tag ?? null,
    );
  }

  /**
   * The call left its line. Removing a call that is not recorded does nothing. Throws on
   * write failure.
   */
  removeActive(callId: string): void {
    this.#removeActive.run(callId);
  }

  /**
   * A call ended: its history row is added (as `add` does) and its active row removed, in
   * one transaction, so the call is always in exactly one of the two. Throws on failure,
   * with neither change made.
   */
  endCall(record: HistoryRecord): void {
    transaction(this.#db, () => {
      this.add(record);
      this.removeActive(record.id);
    });
  }

  /**
   * Run several writes as one transaction with one commit (one fsync), e.g. a call ending
   * and the next starting on the same line:
   * `atomically(() => { store.endCall(old); store.putActive(line, next, now); })`.
   * Inside, the methods' writes are durable only once `atomically` returns; if `work`
   * throws, nothing it wrote is kept and the error is rethrown.
   */
  atomically<T>(work: () => T): T {
    return transaction(this.#db, work);
  }

  /**
   * Optional heartbeat: every active call was alive at `now`. An interrupted call's end is
   * its last `seen_at`, so calling this on a timer while calls are up bounds how much of
   * a long call's duration a crash can take off. One fsync each time. Throws like
   * `putActive`, also before `recoverInterrupted`.
   */
  markAlive(now: number): void {
    this.#requireRecovered('markAlive');
    this.#markAlive.run(now);
  }

  /** The rows the previous run left must be recovered before this run's calls mix in. */
  #requireRecovered(method: string): void {
    if (!this.#recovered) {
      throw new Error(`recoverInterrupted() must run once after open, before ${method}()`);
    }
  }

  /**
   * Call once, right after open: every call the previous run left on a line becomes a
   * history row with outcome 'interrupted', and the active rows are cleared, in one
   * transaction. Returns the records added, latest ended first.
   *
   * The recorded end is the last time the call was known to be alive (its `seen_at`: the
   * last `putActive` or `markAlive`), not `now`: the core may have been down for days, and
   * a shorter duration that was observed is truer than a longer one that was not. It is
   * kept within [startedAt, max(startedAt, now)] against a clock that jumped. A call
   * whose id is already in the history (it was added but not removed) is not added twice
   * and not returned. Rows that cannot be read back as a call are reported through
   * `onProblem` and dropped. A second call on the same store returns [] and changes
   * nothing: by then the active rows are this run's live calls.
   */
  recoverInterrupted(now: number): HistoryRecord[] {
    if (this.#recovered) return [];
    const recovered = transaction(this.#db, () => {
      const left: HistoryRecord[] = [];
      for (const row of this.#active.all()) {
        const record = toInterrupted(row, now);
        if (typeof record === 'string') {
          this.#onProblem(`${this.file}: dropped a call left on a line: ${record}`);
        } else {
          left.push(record);
        }
      }
      // Oldest end first, so that seq agrees with recent()'s tie-break (stable sort: the
      // query's rowid order decides among equal ends).
      left.sort((a, b) => a.endedAt - b.endedAt);
      const added = left.filter((record) => this.#insertRecord(record));
      this.#clearActive.run();
      return added;
    });
    this.#recovered = true;
    return recovered.reverse();
  }

  /**
   * The connection's journal mode and synchronous level (0 OFF, 1 NORMAL, 2 FULL, 3
   * EXTRA), read back from SQLite rather than from what was asked for.
   */
  pragmas(): { readonly journalMode: string; readonly synchronous: number } {
    const journalMode = this.#db.prepare('PRAGMA journal_mode').get()?.['journal_mode'];
    const synchronous = this.#db.prepare('PRAGMA synchronous').get()?.['synchronous'];
    return {
      journalMode: typeof journalMode === 'string' ? journalMode : '',
      synchronous: typeof synchronous === 'number' ? synchronous : -1,
    };
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
      this.#onProblem(`${this.file}: reading the history stopped early: ${describeError(error)}`);
    }
    return records;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }
}
