import { z } from 'zod';
import { DOOR_IDS, DOOR_LABELS, type DoorId } from '../doors/registry.ts';
import { EXTENSION_TYPE_LABELS, EXTENSION_TYPES, type ExtensionType } from './settings.ts';

/**
 * Who wrote an entry: a door, or a backend with a wire of its own (the SIP softphone's SIP
 * messages, summarised).
 */
export type LogSource = DoorId | ExtensionType;
export const LOG_SOURCES = [...DOOR_IDS, ...EXTENSION_TYPES] as [LogSource, ...LogSource[]];
export const LogSourceSchema = z.enum(LOG_SOURCES);
export const LOG_SOURCE_LABELS: Readonly<Record<LogSource, string>> = {
  ...EXTENSION_TYPE_LABELS,
  ...DOOR_LABELS,
};

/**
 * One request that reached a door, as an installer needs to see it when a CRM
 * integration "does nothing": where it came from, what arrived, how we read it, what it did.
 */
export const LogEntrySchema = z.object({
  id: z.number().int(),
  at: z.number(),
  source: LogSourceSchema,
  /** In: a request that reached the door. Out: what a door sent or ran (a hook, a monitor event). */
  direction: z.enum(['in', 'out']),
  /** The connection or session it belongs to, where the door has one ("tcp 7"); else null. */
  session: z.string().nullable(),
  /** In: the peer it came from ("127.0.0.1:51234"). Out: where it went (a URL, a program). */
  from: z.string(),
  raw: z.string(),
  /** How the request was read, in words; empty when it could not be read. */
  reading: z.string(),
  /** The error that names the bad part, when there was one. */
  error: z.string().nullable(),
  /** What it did to the lines, or why it did nothing. */
  outcome: z.string(),
});
export type LogEntry = z.infer<typeof LogEntrySchema>;

/** Raw requests longer than this are cut in the log; the log must stay small. */
export const LOG_RAW_LIMIT = 2048;
export const LOG_CAPACITY = 500;
