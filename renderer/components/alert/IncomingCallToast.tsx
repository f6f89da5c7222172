import { useState } from 'react';
import { CloseIcon, PhoneIcon } from '../icons.tsx';
import { useRingingCalls } from './use-ringing-calls.ts';

/**
 * The desktop-style pop-up in the window's corner, for when the window sits behind a CRM.
 * The status region is always in the page (empty when quiet) so that screen readers
 * announce what appears in it.
 */
export function IncomingCallToast() {
  const ringing = useRingingCalls();
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(() => new Set());
  const shown = ringing.filter(({ call }) => !dismissed.has(call.id)).at(-1);

  return (
    <div className="toast-region" role="status" aria-label="Incoming call notification">
      {shown && (
        <div className="toast" data-line={shown.line}>
          <PhoneIcon className="toast-icon" />
          <div className="toast-text">
            <p className="toast-title">Incoming call on line {shown.line}</p>
            <p className="toast-detail">
              {shown.call.number || 'Unknown number'}
              {shown.call.callerId && ` · ${shown.call.callerId}`}
            </p>
          </div>
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss notification"
            onClick={() => {
              setDismissed((current) => new Set(current).add(shown.call.id));
            }}
          >
            <CloseIcon />
          </button>
        </div>
      )}
    </div>
  );
}
