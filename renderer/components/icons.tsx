import type { ReactNode } from 'react';
import type { Direction } from '../../shared/model/line-table.ts';
import type { LineState } from './format.ts';

/**
 * Icons are decoration next to words that say the same thing (state is never colour or
 * shape alone), so every one is hidden from assistive technology.
 */

function Icon({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      viewBox="0 0 24 24"
      width="1em"
      height="1em"
      aria-hidden="true"
      focusable="false"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      {children}
    </svg>
  );
}

const HANDSET =
  'M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2';

export function PhoneIcon({ className }: { className?: string }) {
  return (
    <Icon className={className}>
      <path d={HANDSET} />
    </Icon>
  );
}

export function BellIcon({ className }: { className?: string }) {
  return (
    <Icon className={className}>
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </Icon>
  );
}

export function DirectionIcon({ direction }: { direction: Direction }) {
  return (
    <Icon>
      {direction === 'inbound' ? (
        <path d="M17 7 7 17M16 17H7V8" />
      ) : (
        <path d="M7 17 17 7M8 7h9v9" />
      )}
    </Icon>
  );
}

const STATE_SHAPES: Readonly<Record<LineState, ReactNode>> = {
  idle: <circle cx="12" cy="12" r="5" />,
  ringing: (
    <>
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </>
  ),
  dialing: <path d="M5 12h14M13 6l6 6-6 6" />,
  established: <path d={HANDSET} />,
  held: <path d="M9 5v14M15 5v14" />,
};

export function LineStateIcon({ state }: { state: LineState }) {
  return <Icon className="state-icon">{STATE_SHAPES[state]}</Icon>;
}

export function CloseIcon() {
  return (
    <Icon>
      <path d="M6 6l12 12M18 6 6 18" />
    </Icon>
  );
}

export function WarningIcon() {
  return (
    <Icon>
      <path d="M12 3 2 20h20L12 3z" />
      <path d="M12 10v4M12 17h.01" />
    </Icon>
  );
}
