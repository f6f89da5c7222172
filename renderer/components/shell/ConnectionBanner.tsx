import { useApp } from '../../store/app-store.ts';
import {
  selectEverLive,
  selectLinkAttempt,
  selectLinkError,
  selectLinkState,
} from '../../store/connection-slice.ts';
import { WarningIcon } from '../icons.tsx';

/** After this many failed reconnects the likely cause is a new token, not a slow restart. */
const HINT_AFTER_ATTEMPTS = 4;

export function ConnectionBanner() {
  const state = useApp(selectLinkState);
  const everLive = useApp(selectEverLive);
  const attempt = useApp(selectLinkAttempt);
  const error = useApp(selectLinkError);

  const message =
    error !== null
      ? `The Callbridge core could not send its state: ${error}`
      : state === 'live'
        ? null
        : everLive
          ? 'Disconnected from Callbridge core — reconnecting…'
          : 'Connecting to Callbridge core…';

  return (
    // Always present, so that assistive technology announces what appears in it.
    <div className="banner-region" role="alert">
      {message && (
        <div className={`banner ${everLive || error ? 'banner-warning' : 'banner-info'}`}>
          <WarningIcon />
          <div>
            <p className="banner-title">{message}</p>
            {attempt >= HINT_AFTER_ATTEMPTS && (
              <p className="banner-detail">
                Still trying. If Callbridge was restarted, open the Comms Manager address it printed
                again; the old address may no longer be valid.
              </p>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
