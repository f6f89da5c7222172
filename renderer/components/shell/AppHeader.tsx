import { DOOR_IDS } from '../../../shared/doors/registry.ts';
import { PhoneIcon } from '../icons.tsx';
import { NotificationPermission } from './NotificationPermission.tsx';
import { BackendPill, DoorPill } from './StatusPill.tsx';

export function AppHeader() {
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
        <BackendPill />
        {DOOR_IDS.map((door) => (
          <DoorPill key={door} door={door} />
        ))}
        <NotificationPermission />
      </div>
    </header>
  );
}
