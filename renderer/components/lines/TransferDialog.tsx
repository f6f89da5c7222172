import { useEffect, useId, useRef, useState, type SubmitEvent } from 'react';

interface TransferDialogProps {
  readonly line: number;
  /** The one other call up, which an attended transfer joins this one with; or none. */
  readonly consult: { readonly line: number; readonly number: string } | null;
  /** Whether a consultation call can be placed first (the backend can dial). */
  readonly canCallFirst: boolean;
  /** Blind: the far end is sent to `target` at once. */
  readonly onTransfer: (target: string) => void;
  /** Attended, first step: call `target` on another line while this call waits on hold. */
  readonly onCallFirst: (target: string) => void;
  /** Attended, last step: join this call's far end with the consultation's. */
  readonly onJoin: () => void;
  readonly onClose: () => void;
}

/**
 * Asks where to send the call: blind to a number ("Transfer now"), after speaking to the
 * target first ("Call first", then "Complete transfer" once both calls are up), as Bria
 * and Zoiper offer it. A native modal <dialog>: it traps focus, closes on Escape and gives
 * focus back to the Transfer button by itself.
 */
export function TransferDialog({
  line,
  consult,
  canCallFirst,
  onTransfer,
  onCallFirst,
  onJoin,
  onClose,
}: TransferDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [target, setTarget] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => {
      element?.close();
    };
  }, []);

  const withTarget = (then: (target: string) => void) => {
    const trimmed = target.trim();
    if (trimmed === '') {
      setProblem('Enter the number or extension to transfer to.');
      return;
    }
    then(trimmed);
  };
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    withTarget(onTransfer);
  };

  return (
    <dialog
      ref={dialog}
      className="transfer-dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-about`}
      onClose={onClose}
    >
      <form onSubmit={submit} noValidate>
        <h2 id={`${id}-title`}>Transfer to</h2>
        <p id={`${id}-about`} className="muted">
          Send the call on line {line} to another number or extension.
        </p>
        {consult && (
          <p className="dialog-choice">
            <button type="button" className="button button-primary" onClick={onJoin}>
              Complete transfer to {consult.number || `line ${consult.line}`}
            </button>
          </p>
        )}
        <label htmlFor={`${id}-target`}>Number or extension</label>
        <input
          id={`${id}-target`}
          type="tel"
          autoComplete="off"
          autoFocus
          value={target}
          maxLength={64}
          aria-invalid={problem !== null}
          aria-describedby={problem ? `${id}-problem` : undefined}
          onChange={(event) => {
            setTarget(event.target.value);
          }}
        />
        {problem && (
          <p id={`${id}-problem`} className="field-error">
            {problem}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          {canCallFirst && (
            <button
              type="button"
              className="button"
              onClick={() => {
                withTarget(onCallFirst);
              }}
            >
              Call first
            </button>
          )}
          <button type="submit" className="button button-primary">
            Transfer now
          </button>
        </div>
      </form>
    </dialog>
  );
}
