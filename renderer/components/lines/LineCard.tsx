import { memo } from 'react';
import type { Line } from '../../../shared/model/line-table.ts';
import { LineStateIcon, DirectionIcon } from '../icons.tsx';
import { DIRECTION_LABELS, LINE_STATE_LABELS, type LineState } from '../format.ts';
import { CallControls } from './CallControls.tsx';
import { CallTimer } from './CallTimer.tsx';

interface LineCardProps {
  readonly line: Line;
  readonly selected: boolean;
  /** Absent when the backend cannot select lines: the card is then not clickable. */
  readonly onSelect: ((line: number) => void) | null;
}

/**
 * One line of the extension. The accessible name is the line alone ("Line 3"), so it stays
 * stable while the call on it changes; the state is read out from the text inside.
 */
/** Memoised: the store keeps unchanged lines' objects, so a call re-renders its line only. */
export const LineCard = memo(function LineCard({
  line: { line, call },
  selected,
  onSelect,
}: LineCardProps) {
  const state: LineState = call?.phase ?? 'idle';
  const select = onSelect && !selected ? () => onSelect(line) : undefined;

  return (
    <li
      className={`line-card${selected ? ' is-selected' : ''}${select ? ' is-selectable' : ''}`}
      aria-label={`Line ${line}`}
      aria-current={selected ? 'true' : undefined}
      data-line={line}
      data-state={state}
      onClick={select}
    >
      <div className="line-head">
        <span className="line-number" aria-hidden="true">
          {line}
        </span>
        <span className="line-title">Line {line}</span>
        <span className={`state-badge state-${state}`}>
          <LineStateIcon state={state} />
          <span className="line-state">{LINE_STATE_LABELS[state]}</span>
        </span>
        <span className="line-head-end">
          {call && <CallTimer call={call} />}
          {selected ? (
            <span className="selected-badge">Selected</span>
          ) : (
            select && (
              // Its click bubbles to the card's handler; the button makes that keyboard-reachable.
              <button type="button" className="link-button" aria-label={`Select line ${line}`}>
                Select
              </button>
            )
          )}
        </span>
      </div>

      {call && (
        <div className="line-body">
          <p className="party-number">{call.number || 'Unknown number'}</p>
          <p className="party-details">
            {call.callerId && <span className="caller-id">{call.callerId}</span>}
            {call.tag !== undefined && <span className="call-flag">ID {call.tag}</span>}
            <span className="direction">
              <DirectionIcon direction={call.direction} />
              {DIRECTION_LABELS[call.direction]}
            </span>
            {call.phase === 'dialing' && call.ringback !== undefined && (
              <span className="call-flag">
                {call.ringback === 'early-media'
                  ? 'Far end playing a message or tone'
                  : 'Far end ringing'}
              </span>
            )}
            {call.phase === 'ringing' && call.silenced === true && (
              <span className="call-flag">Ringing silenced</span>
            )}
            {(call.phase === 'established' || call.phase === 'held') && call.muted === true && (
              <span className="call-flag">Microphone muted</span>
            )}
          </p>
          <CallControls line={line} call={call} />
        </div>
      )}
    </li>
  );
});
