import type { CallOutcome, Direction, HistoryRecord } from '../../../shared/model/line-table.ts';

/**
 * history.sqlite's schema and how its rows read back: the migrations that build it, and
 * the checks that turn a row (possibly hand-edited or damaged) into a record or a reason.
 */

/**
 * Append-only, so migrations only ever add: never edit one that has shipped. `seq` is the
 * rowid: it records insertion order, which breaks ties between calls that ended in the same
 * millisecond. STRICT makes SQLite refuse a value of the wrong type instead of storing it.
 * Exported for the schema tests, which build files the way older versions left them.
 */
export const MIGRATIONS: readonly string[] = [
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
  // Version 2: the 'interrupted' outcome and the calls now on a line. SQLite cannot alter
  // a CHECK, so history is rebuilt the way its ALTER TABLE page prescribes (new table, copy,
  // drop, rename), inside migrate's one transaction: a failure leaves version 1 untouched.
  // Copying seq keeps every row's insertion order and the next rowid. Nothing references
  // history, so neither foreign keys nor triggers or views need care.
  `CREATE TABLE history_v2 (
     seq INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     line INTEGER NOT NULL CHECK (line >= 1),
     direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
     number TEXT NOT NULL,
     caller_id TEXT NOT NULL,
     started_at INTEGER NOT NULL,
     answered_at INTEGER,
     ended_at INTEGER NOT NULL,
     outcome TEXT NOT NULL
       CHECK (outcome IN ('answered', 'missed', 'unanswered', 'interrupted'))
   ) STRICT;
   INSERT INTO history_v2
     (seq, id, line, direction, number, caller_id, started_at, answered_at, ended_at, outcome)
   SELECT seq, id, line, direction, number, caller_id, started_at, answered_at, ended_at, outcome
   FROM history ORDER BY seq;
   DROP TABLE history;
   ALTER TABLE history_v2 RENAME TO history;
   CREATE INDEX history_newest_first ON history (ended_at DESC, seq DESC);
   CREATE TABLE active_call (
     id TEXT PRIMARY KEY,
     line INTEGER NOT NULL UNIQUE CHECK (line >= 1),
     direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
     number TEXT NOT NULL,
     caller_id TEXT NOT NULL,
     phase TEXT NOT NULL CHECK (phase IN ('ringing', 'dialing', 'established', 'held')),
     started_at INTEGER NOT NULL,
     answered_at INTEGER CHECK ((answered_at IS NOT NULL) = (phase IN ('established', 'held'))),
     held_at INTEGER CHECK ((held_at IS NOT NULL) = (phase = 'held')),
     seen_at INTEGER NOT NULL
   ) STRICT;`,
  // Version 3: how each call ended in the backend's words; NULL for the rows before it.
  `ALTER TABLE history ADD COLUMN reason TEXT;`,
  // Version 4: the tag a call was placed with (VOIspeed's ext_ID), on a line and after it
  // ended, so an interrupted call keeps it too; NULL for none and for the rows before it.
  `ALTER TABLE history ADD COLUMN tag TEXT;
   ALTER TABLE active_call ADD COLUMN tag TEXT;`,
];

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type Row = Record<string, unknown>;

const DIRECTIONS: readonly Direction[] = ['inbound', 'outbound'];
const OUTCOMES: readonly CallOutcome[] = ['answered', 'missed', 'unanswered', 'interrupted'];

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

/** What the row says, or what is wrong with it (with the row's id where it has one). */
function readRow<T>(row: Row, read: () => T): T | string {
  try {
    return read();
  } catch (error) {
    const id = typeof row['id'] === 'string' ? ` (id ${row['id']})` : '';
    return `${describeError(error)}${id}`;
  }
}

/** A column that may be NULL (or absent from an older query), as text or null. */
function optionalText(row: Row, column: string): string | null {
  return row[column] === null || row[column] === undefined ? null : text(row, column);
}

/** The columns history and active_call share. Throws what is wrong. */
function callColumns(row: Row) {
  const line = integer(row, 'line');
  if (line < 1) throw new Error('line is below 1');
  const tag = optionalText(row, 'tag');
  return {
    ...(tag === null ? {} : { tag }),
    id: text(row, 'id'),
    line,
    direction: oneOf(row, 'direction', DIRECTIONS),
    number: text(row, 'number'),
    callerId: text(row, 'caller_id'),
    startedAt: integer(row, 'started_at'),
    answeredAt: row['answered_at'] === null ? null : integer(row, 'answered_at'),
  };
}

/** A history row as a record. */
export function toRecord(row: Row): HistoryRecord | string {
  return readRow(row, () => ({
    ...callColumns(row),
    endedAt: integer(row, 'ended_at'),
    outcome: oneOf(row, 'outcome', OUTCOMES),
    reason: optionalText(row, 'reason'),
  }));
}

/** An active_call row as the history record of its interruption at its last sign of life. */
export function toInterrupted(row: Row, now: number): HistoryRecord | string {
  return readRow(row, () => {
    const call = callColumns(row);
    const seenAt = integer(row, 'seen_at');
    const endedAt = Math.max(call.startedAt, Math.min(seenAt, now));
    return { ...call, endedAt, outcome: 'interrupted' as const, reason: null };
  });
}
