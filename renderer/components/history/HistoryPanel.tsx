import { memo } from 'react';
import type { HistoryRecord } from '../../../shared/model/line-table.ts';
import { useApp } from '../../store/app-store.ts';
import { selectHistory } from '../../store/history-slice.ts';
import {
  DIRECTION_LABELS,
  OUTCOME_LABELS,
  formatDuration,
  formatWhen,
  isoTime,
} from '../format.ts';
import { DirectionIcon } from '../icons.tsx';
import { ShowOlderButton, useNewestFirst } from '../show-older.tsx';
import { useToday } from '../use-now.ts';

// Memoised: a new entry must render one row, not the whole bounded list again.
const HistoryRow = memo(function HistoryRow({
  record,
  today,
}: {
  record: HistoryRecord;
  today: string;
}) {
  const talk = record.answeredAt === null ? null : record.endedAt - record.answeredAt;
  return (
    <tr data-outcome={record.outcome} data-call-id={record.id}>
      <td>
        <span className={`direction direction-${record.direction}`}>
          <DirectionIcon direction={record.direction} />
          {DIRECTION_LABELS[record.direction]}
        </span>
      </td>
      <td className="number-cell">
        {record.number || 'Unknown number'}
        {record.tag !== undefined && <span className="call-tag"> (ID {record.tag})</span>}
      </td>
      <td>{record.callerId || <span className="muted">—</span>}</td>
      <td>
        <span className={`outcome outcome-${record.outcome}`}>
          {OUTCOME_LABELS[record.outcome]}
        </span>
      </td>
      <td>{record.reason ?? <span className="muted">—</span>}</td>
      <td>
        <time dateTime={isoTime(record.startedAt)}>{formatWhen(record.startedAt, today)}</time>
      </td>
      <td className="numeric">
        {talk === null ? <span className="muted">—</span> : formatDuration(talk)}
      </td>
      <td className="numeric">{record.line}</td>
    </tr>
  );
});

export function HistoryPanel() {
  const history = useApp(selectHistory);
  const today = useToday();
  const { visible, hidden, showOlder } = useNewestFirst(history);

  if (history.length === 0) {
    return <p className="muted empty">No calls yet. Calls appear here when they end.</p>;
  }
  return (
    // Focusable because it scrolls on its own: keyboard users must be able to scroll it.
    <div className="table-scroll" tabIndex={0}>
      <table className="data-table history-table" aria-label="Call history">
        <thead>
          <tr>
            <th scope="col">Direction</th>
            <th scope="col">Number</th>
            <th scope="col">Caller ID</th>
            <th scope="col">Outcome</th>
            <th scope="col">How it ended</th>
            <th scope="col">Started</th>
            <th scope="col" className="numeric">
              Duration
            </th>
            <th scope="col" className="numeric">
              Line
            </th>
          </tr>
        </thead>
        <tbody>
          {visible.map((record) => (
            <HistoryRow key={record.id} record={record} today={today} />
          ))}
        </tbody>
      </table>
      <ShowOlderButton hidden={hidden} what="calls" onClick={showOlder} />
    </div>
  );
}
