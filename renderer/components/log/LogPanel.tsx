import { memo, useId, useState } from 'react';
import { LOG_SOURCES, LOG_SOURCE_LABELS } from '../../../shared/model/integration-log.ts';
import type { LogEntry } from '../../../shared/model/integration-log.ts';
import { useApp } from '../../store/app-store.ts';
import { selectLog, selectLogFor, type LogSourceFilter } from '../../store/log-slice.ts';
import { LOG_DIRECTION_LABELS, formatWhen, isoTime } from '../format.ts';
import { ShowOlderButton, useNewestFirst } from '../show-older.tsx';
import { useToday } from '../use-now.ts';

/**
 * What an installer reads when a CRM integration "does nothing": every request that
 * reached a door, exactly as it arrived, and what Callbridge made of it.
 */
// Memoised: a new entry must render one row, not the whole bounded list again.
const LogItem = memo(function LogItem({ entry, today }: { entry: LogEntry; today: string }) {
  const failed = entry.error !== null;
  return (
    <li
      className={`log-entry${failed ? ' log-entry-error' : ''}`}
      data-log-id={entry.id}
      data-source={entry.source}
      data-direction={entry.direction}
    >
      <div className="log-meta">
        <time dateTime={isoTime(entry.at)}>{formatWhen(entry.at, today)}</time>
        <span className="log-door">{LOG_SOURCE_LABELS[entry.source]}</span>
        <span className={`log-direction log-direction-${entry.direction}`}>
          {LOG_DIRECTION_LABELS[entry.direction]}
        </span>
        <span>
          <span className="muted">{entry.direction === 'in' ? 'from' : 'to'}</span> {entry.from}
        </span>
        {entry.session !== null && (
          <span>
            <span className="muted">session</span> {entry.session}
          </span>
        )}
      </div>
      <pre className="log-raw">{entry.raw}</pre>
      <dl className="log-facts">
        {failed ? (
          <>
            <dt>Error</dt>
            <dd className="log-error">{entry.error}</dd>
          </>
        ) : (
          <>
            <dt>Read as</dt>
            <dd>{entry.reading || <span className="muted">—</span>}</dd>
          </>
        )}
        <dt>Outcome</dt>
        <dd>{entry.outcome}</dd>
      </dl>
    </li>
  );
});

const parseSourceFilter = (value: string): LogSourceFilter =>
  LOG_SOURCES.find((source) => source === value) ?? 'all';

/** The newest entries of one filter; remounted per filter, so each starts at one page. */
function LogList({ entries, empty }: { entries: readonly LogEntry[]; empty: string }) {
  const today = useToday();
  const { visible, hidden, showOlder } = useNewestFirst(entries);
  if (entries.length === 0) return <p className="muted empty">{empty}</p>;
  return (
    // Focusable because it scrolls on its own: keyboard users must be able to scroll it.
    <>
      <ol className="log-list" aria-label="Integration log" tabIndex={0}>
        {visible.map((entry) => (
          <LogItem key={entry.id} entry={entry} today={today} />
        ))}
      </ol>
      <ShowOlderButton hidden={hidden} what="requests" onClick={showOlder} />
    </>
  );
}

export function LogPanel() {
  const [source, setSource] = useState<LogSourceFilter>('all');
  const everything = useApp(selectLog);
  const entries = useApp(selectLogFor(source));
  const filterId = useId();

  if (everything.length === 0) {
    return (
      <p className="muted empty">
        Nothing has reached the listen port yet. Requests appear here as they arrive, newest first,
        so that you can check what your PBX or CRM sends.
      </p>
    );
  }
  return (
    <>
      <div className="log-toolbar">
        <label htmlFor={filterId}>Door</label>
        <select
          id={filterId}
          value={source}
          onChange={(event) => {
            setSource(parseSourceFilter(event.target.value));
          }}
        >
          <option value="all">All doors</option>
          {LOG_SOURCES.map((id) => (
            <option key={id} value={id}>
              {LOG_SOURCE_LABELS[id]}
            </option>
          ))}
        </select>
      </div>
      <LogList
        key={source}
        entries={entries}
        empty={
          source === 'all'
            ? ''
            : `None of the ${everything.length} newest entries are from “${LOG_SOURCE_LABELS[source]}”.`
        }
      />
    </>
  );
}
