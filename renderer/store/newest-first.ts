/**
 * Put a row from the core's event stream in front of a bounded newest-first list. An
 * event racing the snapshot that already holds the row must not show it twice.
 */
export function prependNewest<T extends { readonly id: string | number }>(
  list: readonly T[],
  row: T,
  capacity: number,
): readonly T[] {
  return list.some((existing) => existing.id === row.id) ? list : [row, ...list].slice(0, capacity);
}
