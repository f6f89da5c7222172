import { useState } from 'react';
import { useApp } from '../../store/app-store.ts';
import { selectIsElectron } from '../../store/connection-slice.ts';

/**
 * Browsers only grant notifications after a click, so the page offers one. Electron's
 * shell notifies natively and never needs this.
 */
export function NotificationPermission() {
  const isElectron = useApp(selectIsElectron);
  const supported = 'Notification' in window;
  const [permission, setPermission] = useState<NotificationPermission | null>(() =>
    supported ? Notification.permission : null,
  );
  if (isElectron || permission !== 'default') return null;

  return (
    <button
      type="button"
      className="button button-quiet"
      onClick={() => {
        void Notification.requestPermission().then(setPermission);
      }}
    >
      Enable desktop alerts
    </button>
  );
}
