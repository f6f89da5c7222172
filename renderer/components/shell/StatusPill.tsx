import { DOOR_LABELS, type DoorId } from '../../../shared/doors/registry.ts';
import type { BackendState, DoorStatus } from '../../../shared/bridge/contract.ts';
import { EXTENSION_TYPE_LABELS, type ExtensionType } from '../../../shared/model/settings.ts';
import { useApp } from '../../store/app-store.ts';
import { selectLinkState } from '../../store/connection-slice.ts';
import { selectDoorStatus } from '../../store/doors-slice.ts';
import { selectBackend } from '../../store/lines-slice.ts';
import { describeBackendState, describeDoorStatus } from '../format.ts';

/** How a pill looks: working, on its way, broken, switched off, or not known yet. */
type Tone = 'ok' | 'pending' | 'error' | 'off' | 'unknown';

const BACKEND_TONES: Readonly<Record<BackendState['state'], Tone>> = {
  ready: 'ok',
  connecting: 'pending',
  unavailable: 'error',
};

const DOOR_TONES: Readonly<Record<DoorStatus['state'], Tone>> = {
  ready: 'ok',
  off: 'off',
  failed: 'error',
};

const WAITING = 'waiting for the core';

interface StatusPillProps {
  /** What the pill is about: "Listen port", an extension type's label. */
  readonly label: string;
  readonly text: string;
  readonly tone: Tone;
  /** The raw state, for styling and for tests that wait on it. */
  readonly state: string;
  /** Which door or backend it is, for tests: `[data-door="listen-port"][data-state="ready"]`. */
  readonly door?: DoorId;
  readonly backend?: ExtensionType;
}

/**
 * One thing the header reports, read out as "Listen port: listening on 127.0.0.1:5555".
 * Each pill is its own status region, so a change to one is announced alone.
 */
function StatusPill({ label, text, tone, state, door, backend }: StatusPillProps) {
  return (
    <span
      className="status-pill"
      role="status"
      data-tone={tone}
      data-state={state}
      data-door={door}
      data-backend={backend}
      title={`${label}: ${text}`}
    >
      <span className="status-dot" aria-hidden="true" />
      <span className="status-text">
        <span className="status-label">{label}:</span> {text}
      </span>
    </span>
  );
}

/** The active backend: ready, still connecting (registering), or unavailable and why. */
export function BackendPill() {
  const backend = useApp(selectBackend);
  const live = useApp(selectLinkState) === 'live';
  if (!backend || !live) {
    // What the core last said may no longer hold once the link is down.
    return <StatusPill label="Extension" text={WAITING} tone="unknown" state="unknown" />;
  }
  const { type, status } = backend;
  return (
    <StatusPill
      label={EXTENSION_TYPE_LABELS[type]}
      text={describeBackendState(status)}
      tone={BACKEND_TONES[status.state]}
      state={status.state}
      backend={type}
    />
  );
}

/** One door as it really is: the listen port is the first thing an installer checks. */
export function DoorPill({ door }: { door: DoorId }) {
  const status = useApp(selectDoorStatus(door));
  const live = useApp(selectLinkState) === 'live';
  const label = DOOR_LABELS[door];
  if (!status || !live) {
    return <StatusPill label={label} text={WAITING} tone="unknown" state="unknown" door={door} />;
  }
  return (
    <StatusPill
      label={label}
      text={describeDoorStatus(status)}
      tone={DOOR_TONES[status.state]}
      state={status.state}
      door={door}
    />
  );
}
