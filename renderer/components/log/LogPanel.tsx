import { memo } from 'react';
import type { LogEntry } from '../../../shared/model/integration-log.ts';
import { useApp } from '../../store/app-store.ts';
import { selectLog } from '../../store/log-slice.ts';
import { DOOR_LABELS, formatWhen, isoTime } from '../format.ts';
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
    <li className={`log-entry${failed ? ' log-entry-error' : ''}`} data-log-id={entry.id}>
      <div className="log-meta">
        <time dateTime={isoTime(entry.at)}>{formatWhen(entry.at, today)}</time>
        <span className="log-door">{DOOR_LABELS[entry.door]}</span>
        <span>
          <span className="muted">from</span> {entry.from}
        </span>
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

export function LogPanel() {
  const log = useApp(selectLog);
  const today = useToday();
  const { visible, hidden, showOlder } = useNewestFirst(log);

  if (log.length === 0) {
    return (
      <p className="muted empty">
        Nothing has reached the listen port yet. Requests appear here as they arrive, newest first,
        so that you can check what your PBX or CRM sends.
      </p>
    );
  }
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
