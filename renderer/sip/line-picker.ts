import type { LineTable } from '../../shared/model/line-table.ts';

/**
 * Which line a new call goes on. The core owns the line table and the page sees it through
 * the store, a step behind: two INVITEs can arrive before the core has shown the first
 * one's line as busy. So a line is free only when the latest table shows it idle and none
 * of the engine's own calls holds it.
 *
 * `prefer` (the line a MakeCall named, or the selected line) wins when it is free.
 * Null when every line is busy: the INVITE is answered 486.
 */
export function pickLine(
  table: LineTable,
  taken: ReadonlySet<number>,
  prefer: number | null = null,
): number | null {
  const free = (line: number): boolean =>
    !taken.has(line) && table.lines.some((entry) => entry.line === line && entry.call === null);
  if (prefer !== null && free(prefer)) return prefer;
  return table.lines.find((entry) => free(entry.line))?.line ?? null;
}

/** Whether `line` is free in the sense of `pickLine`, for a MakeCall that names its line. */
export function isLineFree(table: LineTable, taken: ReadonlySet<number>, line: number): boolean {
  return pickLine(table, taken, line) === line;
}
