import { EXTENSION_TYPE_LABELS } from '../../../shared/model/settings.ts';
import { useApp } from '../../store/app-store.ts';
import { selectExtensionType } from '../../store/settings-slice.ts';
import { PhoneIcon } from '../icons.tsx';
import { NotificationPermission } from './NotificationPermission.tsx';
import { StatusPill } from './StatusPill.tsx';

export function AppHeader() {
  const extensionType = useApp(selectExtensionType);
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          <PhoneIcon />
        </span>
        <div>
          <p className="brand-name">Callbridge</p>
          <h1>Comms Manager</h1>
        </div>
      </div>
      <div className="header-status">
        {extensionType && (
          <p className="extension-type">
            <span className="muted">Extension:</span> {EXTENSION_TYPE_LABELS[extensionType]}
          </p>
        )}
        <StatusPill />
        <NotificationPermission />
      </div>
    </header>
  );
}
