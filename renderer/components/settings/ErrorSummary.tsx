import { useEffect, useRef } from 'react';
import { fieldIds, type ShownError } from './section.ts';

/**
 * Lists every problem at the top of the form and takes focus when a save fails, so that
 * keyboard and screen reader users learn at once why nothing changed. Entries move focus
 * to their field (buttons, not #links: the fragment carries the access token).
 */
interface ErrorSummaryProps {
  /** The store's answer to one save; focus moves here once per answer, not per keystroke. */
  readonly failure: object;
  readonly message: string;
  readonly errors: readonly ShownError[];
}

export function ErrorSummary({ failure, message, errors }: ErrorSummaryProps) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.focus();
  }, [failure]);

  return (
    <div
      ref={box}
      className="error-summary"
      role="alert"
      tabIndex={-1}
      aria-labelledby="settings-error-title"
    >
      <p id="settings-error-title" className="error-summary-title">
        Settings not saved
      </p>
      {errors.length === 0 ? (
        <p>{message}</p>
      ) : (
        <ul>
          {errors.map((error) => (
            <li key={`${error.field ?? ''}:${error.text}`}>
              {error.field ? (
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    document.getElementById(fieldIds(error.field ?? '').input)?.focus();
                  }}
                >
                  {error.text}
                </button>
              ) : (
                error.text
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
