/**
 * The one result shape used across parsers, transitions, the switchboard and the bridge.
 * Nothing in `shared/` throws for bad input; it answers with `ok: false` instead.
 */
export type Result<T, E> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value });
export const err = <E>(error: E): { readonly ok: false; readonly error: E } => ({
  ok: false,
  error,
});
