import type { Call, LineTable } from './line-table.ts';

/** Words for what a line shows, shared by the integration log and the UI. */
export const PHASE_LABELS: Readonly<Record<Call['phase'] | 'idle', string>> = {
  idle: 'Idle',
  ringing: 'Ringing',
  dialing: 'Dialing',
  established: 'Connected',
  held: 'On hold',
};

export function describeLine(table: LineTable, line: number): string {
  const call = table.lines[line - 1]?.call;
  if (!call) return `line ${line} is idle`;
  const party = [call.number, call.callerId ? `"${call.callerId}"` : ''].filter(Boolean).join(' ');
  return `line ${line} is ${PHASE_LABELS[call.phase].toLowerCase()}${party ? ` with ${party}` : ''}`;
}
