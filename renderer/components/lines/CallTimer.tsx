import type { Call } from '../../../shared/model/line-table.ts';
import { formatDuration, isoTime } from '../format.ts';
import { useSecondsSince } from '../use-now.ts';

/** Talk time once answered (held calls keep counting), ring or dial time before that. */
export function callTimerStart(call: Call): number {
  return call.phase === 'established' || call.phase === 'held' ? call.answeredAt : call.startedAt;
}

export function CallTimer({ call }: { call: Call }) {
  const since = callTimerStart(call);
  const seconds = useSecondsSince(since);
  return (
    <time className="call-timer" dateTime={isoTime(since)} data-timer="">
      {formatDuration(seconds * 1000)}
    </time>
  );
}
