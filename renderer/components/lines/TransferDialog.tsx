import { useEffect, useId, useRef, useState, type SubmitEvent } from 'react';

interface TransferDialogProps {
  readonly line: number;
  readonly onTransfer: (target: string) => void;
  readonly onClose: () => void;
}

/**
 * Asks where to send the call. A native modal <dialog>: it traps focus, closes on Escape
 * and gives focus back to the Transfer button by itself.
 */
export function TransferDialog({ line, onTransfer, onClose }: TransferDialogProps) {
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

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const trimmed = target.trim();
    if (trimmed === '') {
      setProblem('Enter the number or extension to transfer to.');
      return;
    }
    onTransfer(trimmed);
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
          <button type="submit" className="button button-primary">
            Transfer
          </button>
        </div>
      </form>
    </dialog>
  );
}
