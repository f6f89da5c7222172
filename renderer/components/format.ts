import type { BackendState, DoorStatus } from '../../shared/bridge/contract.ts';
import type { LogEntry } from '../../shared/model/integration-log.ts';
import { PHASE_LABELS } from '../../shared/model/describe.ts';
import type { CallOutcome, CallPhase, Direction } from '../../shared/model/line-table.ts';

/** Words the Comms Manager shows; one place so that the UI and its tests agree. */

export type LineState = CallPhase | 'idle';

/** The words the integration log uses too, so the two never disagree. */
export const LINE_STATE_LABELS: Readonly<Record<LineState, string>> = PHASE_LABELS;

export const DIRECTION_LABELS: Readonly<Record<Direction, string>> = {
  inbound: 'Incoming',
  outbound: 'Outgoing',
};

export const OUTCOME_LABELS: Readonly<Record<CallOutcome, string>> = {
  answered: 'Answered',
  missed: 'Missed',
  unanswered: 'Unanswered',
  // Still on a line when Callbridge stopped without ending it (a crash, a power cut).
  interrupted: 'Interrupted',
};

export const LOG_DIRECTION_LABELS: Readonly<Record<LogEntry['direction'], string>> = {
  in: 'In',
  out: 'Out',
};

const pad = (value: number) => String(value).padStart(2, '0');

/** "04:07" under an hour, "01:04:07" from then on. Negative spans (clock skew) read 00:00. */
export function formatDuration(milliseconds: number): string {
  const total = Math.max(0, Math.floor(milliseconds / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return hours > 0
    ? `${pad(hours)}:${pad(minutes)}:${pad(seconds)}`
    : `${pad(minutes)}:${pad(seconds)}`;
}

const timeFormat = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** Today's times alone, older ones with their date: what a receptionist scans for. */
export function formatWhen(epochMs: number, today: string): string {
  return new Date(epochMs).toDateString() === today
    ? timeFormat.format(epochMs)
    : dateTimeFormat.format(epochMs);
}

export const isoTime = (epochMs: number): string => new Date(epochMs).toISOString();

/** A door's state in words: its summary, and what went wrong when it failed. */
export const describeDoorStatus = (status: DoorStatus): string =>
  status.state === 'failed' ? `${status.summary} — ${status.error}` : status.summary;

/** The backend's state in words: its summary, and the reason when it cannot act. */
export const describeBackendState = (status: BackendState): string =>
  status.state === 'unavailable' ? `${status.summary} — ${status.reason}` : status.summary;
