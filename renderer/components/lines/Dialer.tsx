import { useState, type SubmitEvent } from 'react';
import { useApp, type App } from '../../store/app-store.ts';
import { selectCan, selectSelectedLine } from '../../store/lines-slice.ts';
import { useCommand } from './use-command.ts';

const selectCanDial = selectCan('MakeCall');
const selectCanSendDtmf = selectCan('SendDtmf');
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

/** Whether the selected line carries a connected call, which the keypad then sends tones to. */
const selectTalking = (state: App): boolean => {
  const selected = selectSelectedLine(state);
  const call = state.linesView.table.lines[selected - 1]?.call;
  return call?.phase === 'established';
};

/**
 * The newest call we placed that ended unanswered, with the far end's reason: what a
 * person who just pressed Call wants to know ("486 Busy Here"), once the line is idle again.
 */
const selectLastFailure = (state: App) => {
  const [newest] = state.history;
  if (newest?.direction !== 'outbound' || newest.outcome !== 'unanswered') return null;
  return newest.reason === null ? null : newest;
};

/**
 * Dial a number, or send keypad tones into the call on the selected line. Shown when the
 * extension type can place calls, and (the keypad alone) while a connected call takes tones. What the person typed goes to the core as written;
 * the backend turns it into a dialable target.
 */
export function Dialer() {
  const canDial = useApp(selectCanDial);
  const canSendDtmf = useApp(selectCanSendDtmf);
  const talking = useApp(selectTalking);
  const selected = useApp(selectSelectedLine);
  const [number, setNumber] = useState('');
  const lastFailure = useApp(selectLastFailure);
  // A failure is shown until the person dials again or a newer call ends.
  const [dismissed, setDismissed] = useState<string | null>(null);
  const { send, error, pending } = useCommand();
  // Registration lost mid-call: nothing can be dialled, but the call still takes tones.
  const tonesOnly = !canDial && talking && canSendDtmf;
  if (!canDial && !tonesOnly) return null;

  const dial = (event: SubmitEvent) => {
    event.preventDefault();
    if (pending || number.trim() === '') return;
    setDismissed(lastFailure?.id ?? null);
    void send({ kind: 'MakeCall', number }).then((sent) => {
      if (sent) setNumber('');
    });
  };
  const press = (key: string) => {
    if (talking && canSendDtmf) {
      void send({ kind: 'SendDtmf', line: selected, digits: key });
      return;
    }
    setNumber((current) => `${current}${key}`);
  };

  return (
    <form className="dialer" onSubmit={dial} aria-label="Dial">
      {!tonesOnly && (
        <div className="dialer-row">
          <label htmlFor="dialer-number">Number</label>
          <input
            id="dialer-number"
            type="tel"
            autoComplete="off"
            spellCheck={false}
            value={number}
            onChange={(event) => {
              setNumber(event.target.value);
            }}
            placeholder="+44 20 7946 0018"
          />
          <button type="submit" className="button button-primary" disabled={pending}>
            Call
          </button>
        </div>
      )}
      <div
        className="keypad"
        role="group"
        aria-label={talking && canSendDtmf ? `Keypad tones for line ${selected}` : 'Keypad'}
      >
        {KEYS.map((key) => (
          <button
            key={key}
            type="button"
            className="button keypad-key"
            onClick={() => {
              press(key);
            }}
          >
            {key}
          </button>
        ))}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {lastFailure !== null && lastFailure.id !== dismissed && (
        <p className="dialer-last" role="status">
          Call to {lastFailure.number || 'an unknown number'} ended: {lastFailure.reason}
        </p>
      )}
    </form>
  );
}
