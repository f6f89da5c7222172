import {
  LOG_CAPACITY,
  LOG_RAW_LIMIT,
  type LogEntry,
  type LogSource,
} from '../../shared/model/integration-log.ts';
import { Signal } from './signal.ts';

/** The integration log as one door or backend writes to it: every entry names its source. */
export interface LogWriter {
  add(entry: Omit<LogEntry, 'id' | 'at' | 'source'>): void;
}

/**
 * Every request that reached a door and everything a door sent out, newest first and bounded. In memory on purpose: it is
 * for diagnosing an integration now, not an audit trail.
 */
export class IntegrationLog {
  readonly added = new Signal<LogEntry>();
  readonly #entries: LogEntry[] = [];
  #nextId = 1;
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  add(entry: Omit<LogEntry, 'id' | 'at'>): LogEntry {
    const raw =
      entry.raw.length > LOG_RAW_LIMIT
        ? `${entry.raw.slice(0, LOG_RAW_LIMIT)}… (${entry.raw.length} characters)`
        : entry.raw;
    const full: LogEntry = { ...entry, raw, id: this.#nextId++, at: this.#now() };
    this.#entries.unshift(full);
    if (this.#entries.length > LOG_CAPACITY) this.#entries.length = LOG_CAPACITY;
    this.added.emit(full);
    return full;
  }

  /** The log as one door writes to it: every entry it adds names that door. */
  forSource(source: LogSource): LogWriter {
    return {
      add: (entry) => {
        this.add({ ...entry, source });
      },
    };
  }

  /** Newest first. */
  recent(): readonly LogEntry[] {
    return [...this.#entries];
  }
}
