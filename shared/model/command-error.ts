import type { CommandKind } from './command.ts';

/**
 * Every way a command or a reported event can be refused, as one closed union. Each door
 * turns these into its own dialect (an HTTP status, an error line, an XML element) with an
 * exhaustive `switch`, so a new code here is a compile error in every door that forgot it.
 */
export type CommandError =
  /** The active backend cannot do this at all (TEL cannot answer). */
  | { readonly code: 'not-capable'; readonly kind?: CommandKind; readonly message: string }
  | { readonly code: 'no-such-line'; readonly line: number; readonly message: string }
  | { readonly code: 'no-call'; readonly line: number; readonly message: string }
  /** The call exists but is in the wrong phase for this (holding a ringing call). */
  | { readonly code: 'not-allowed-now'; readonly line: number; readonly message: string }
  /** An ended call could not be stored, so the line keeps it. */
  | { readonly code: 'history-unavailable'; readonly line: number; readonly message: string }
  /** The backend is there but cannot act now (not registered, engine page closed). */
  | { readonly code: 'backend-unavailable'; readonly message: string }
  /** The far end or the PBX said no (486 Busy Here, 403). */
  | { readonly code: 'refused-by-far-end'; readonly status?: number; readonly message: string }
  /** The backend did not answer in time. */
  | { readonly code: 'timed-out'; readonly message: string };

export type CommandErrorCode = CommandError['code'];
