import { useApp } from '../../store/app-store.ts';
import { selectIsElectron } from '../../store/connection-slice.ts';
import { requestDesktopAlerts, useDesktopAlertPermission } from '../alert/desktop-alerts.ts';

/**
 * Browsers only grant notifications after a click, so the page offers one. Electron's
 * shell notifies natively and never needs this.
 */
export function NotificationPermission() {
  const isElectron = useApp(selectIsElectron);
  const permission = useDesktopAlertPermission();
  if (isElectron || permission !== 'default') return null;

  return (
    <button
      type="button"
      className="button button-quiet"
      onClick={() => {
        void requestDesktopAlerts();
      }}
    >
      Enable desktop alerts
    </button>
  );
}
