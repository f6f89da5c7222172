import { useApp } from '../../store/app-store.ts';
import { selectLinkState } from '../../store/connection-slice.ts';
import { selectListenPort } from '../../store/settings-slice.ts';
import { describeListenPort } from '../format.ts';

/** The listen port as it really is: the one thing an installer checks first. */
export function StatusPill() {
  const status = useApp(selectListenPort);
  const live = useApp(selectLinkState) === 'live';
  if (!status || !live) {
    // What the core last said may no longer hold once the link is down.
    return (
      <span className="status-pill" data-listen="unknown">
        <span className="status-dot" aria-hidden="true" />
        Listen port: waiting for the core
      </span>
    );
  }
  const tone = status.error !== null ? 'error' : status.port === null ? 'off' : 'ok';
  return (
    <span className="status-pill" data-listen={tone} title={describeListenPort(status)}>
      <span className="status-dot" aria-hidden="true" />
      {describeListenPort(status)}
    </span>
  );
}
