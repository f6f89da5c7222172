import { useCallback } from 'react';
import { useBridge } from '../../bridge/context.ts';
import { useApp } from '../../store/app-store.ts';
import { selectCan, selectSelectedLine } from '../../store/lines-slice.ts';
import { Dialer } from './Dialer.tsx';
import { LineCard } from './LineCard.tsx';

const selectCanSelect = selectCan('SelectLine');

export function LinesPanel() {
  const bridge = useBridge();
  const lines = useApp((state) => state.linesView.table.lines);
  const selected = useApp(selectSelectedLine);
  const canSelect = useApp(selectCanSelect);

  const selectLine = useCallback(
    (line: number) => {
      // The highlight moves when the core's `lines` event says so, not before.
      void bridge.invoke('command', { kind: 'SelectLine', line });
    },
    [bridge],
  );

  return (
    <section className="panel lines-panel" aria-labelledby="lines-heading">
      <div className="panel-head">
        <h2 id="lines-heading">Lines</h2>
        {lines.length > 0 && (
          <span className="panel-meta">
            {lines.length === 1 ? '1 line' : `${lines.length} lines`}
          </span>
        )}
      </div>
      <Dialer />
      {lines.length === 0 ? (
        <p className="muted empty">Waiting for the Callbridge core…</p>
      ) : (
        <ul className="line-list" aria-label="Lines">
          {lines.map((line) => (
            <LineCard
              key={line.line}
              line={line}
              selected={line.line === selected}
              onSelect={canSelect ? selectLine : null}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
