import type { CallPhase, Direction } from '../../shared/model/line-table.ts';

/**
 * Which of the engine's calls a command acts on. Commands name a line or leave it to the
 * selection, as the core's line table does; the engine also knows its calls' phases, so a
 * bare Answer finds the ringing call even when another line is selected. Pure.
 */

export interface CallSlot {
  readonly line: number;
  readonly phase: CallPhase;
  readonly direction: Direction;
}

/** The calls each kind of command can act on when it names no line. */
export const FITS = {
  answer: (call: CallSlot) => call.phase === 'ringing' && call.direction === 'inbound',
  hold: (call: CallSlot) => call.phase === 'established',
  retrieve: (call: CallSlot) => call.phase === 'held',
  /** The call a person hears: never the held one while another is up. */
  drop: (call: CallSlot) => call.phase !== 'held',
  connected: (call: CallSlot) => call.phase === 'established' || call.phase === 'held',
} as const;

/**
 * With a line: the call on it, whatever its phase (the command then says what is wrong).
 * Without: the selected line's call if it fits, else the first call that fits, else the
 * only call there is.
 */
export function chooseCall<T extends CallSlot>(
  calls: readonly T[],
  selected: number,
  line: number | undefined,
  fits: (call: CallSlot) => boolean,
): T | null {
  if (line !== undefined) return calls.find((call) => call.line === line) ?? null;
  const onSelected = calls.find((call) => call.line === selected);
  if (onSelected && fits(onSelected)) return onSelected;
  const byLine = [...calls].sort((a, b) => a.line - b.line);
  return byLine.find(fits) ?? (calls.length === 1 ? (calls[0] ?? null) : null);
}
