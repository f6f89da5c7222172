import { useState, type MouseEvent } from 'react';
import type { CommandKind } from '../../../shared/model/command.ts';
import type { Call, LineTable } from '../../../shared/model/line-table.ts';
import { useApp } from '../../store/app-store.ts';
import { TransferDialog } from './TransferDialog.tsx';
import { useCommand, type CommandRequest } from './use-command.ts';

interface Control {
  readonly kind: CommandKind;
  readonly label: string;
  readonly tone: 'primary' | 'danger' | 'plain';
  readonly appliesTo: (call: Call) => boolean;
  /** For a toggle (Mute): whether it is on, read out as "pressed". */
  readonly pressed?: (call: Call) => boolean;
}

const isMuted = (call: Call): boolean =>
  (call.phase === 'established' || call.phase === 'held') && call.muted === true;
const ringingHere = (call: Call): boolean =>
  call.phase === 'ringing' && call.direction === 'inbound';

/** Offered only when the call is in a phase where it makes sense AND the backend can do it. */
const CONTROLS: readonly Control[] = [
  {
    kind: 'Answer',
    label: 'Answer',
    tone: 'primary',
    appliesTo: ringingHere,
  },
  // Stops the ring tone only; the call keeps alerting until answered or refused.
  {
    kind: 'Silence',
    label: 'Silence',
    tone: 'plain',
    appliesTo: (call) => ringingHere(call) && call.phase === 'ringing' && call.silenced !== true,
  },
  {
    kind: 'Mute',
    label: 'Mute',
    tone: 'plain',
    appliesTo: (call) => call.phase === 'established' || call.phase === 'held',
    pressed: isMuted,
  },
  { kind: 'Hold', label: 'Hold', tone: 'plain', appliesTo: (call) => call.phase === 'established' },
  {
    kind: 'Retrieve',
    label: 'Resume',
    tone: 'primary',
    appliesTo: (call) => call.phase === 'held',
  },
  {
    kind: 'Transfer',
    label: 'Transfer',
    tone: 'plain',
    appliesTo: (call) => call.phase === 'established' || call.phase === 'held',
  },
  // A call ringing here is refused (SIP answers 486 Busy Here); any other is hung up.
  {
    kind: 'Drop',
    label: 'Reject',
    tone: 'danger',
    appliesTo: ringingHere,
  },
  {
    kind: 'Drop',
    label: 'Hang up',
    tone: 'danger',
    appliesTo: (call) => !ringingHere(call),
  },
];

const commandFor = (kind: CommandKind, line: number, call: Call): CommandRequest | null => {
  switch (kind) {
    case 'Answer':
    case 'Hold':
    case 'Retrieve':
    case 'Drop':
    case 'Silence':
      return { kind, line };
    case 'Mute':
      return { kind, line, muted: !isMuted(call) };
    default:
      return null;
  }
};

/** The other call an attended transfer would join this one with: exactly one other call up. */
function consultCall(table: LineTable, line: number): { line: number; number: string } | null {
  const others = table.lines.filter(
    (entry) =>
      entry.line !== line && (entry.call?.phase === 'established' || entry.call?.phase === 'held'),
  );
  const [only, ...more] = others;
  if (only?.call == null || more.length > 0) return null;
  return { line: only.line, number: only.call.number };
}

// Clicks here act on the call, not on the line card around it (which selects the line).
const keepFromCard = (event: MouseEvent) => {
  event.stopPropagation();
};

export function CallControls({ line, call }: { line: number; call: Call }) {
  const capabilities = useApp((state) => state.linesView.capabilities);
  const table = useApp((state) => state.linesView.table);
  const { send, error, pending } = useCommand();
  const [transferring, setTransferring] = useState(false);

  const offered = CONTROLS.filter(
    (control) => capabilities.includes(control.kind) && control.appliesTo(call),
  );
  if (offered.length === 0) return null;

  const press = (kind: CommandKind) => {
    if (pending) return;
    if (kind === 'Transfer') {
      setTransferring(true);
      return;
    }
    const command = commandFor(kind, line, call);
    if (command) void send(command);
  };

  return (
    <div className="call-controls" onClick={keepFromCard}>
      <div className="button-row">
        {offered.map((control) => (
          <button
            key={control.label}
            type="button"
            className={`button button-${control.tone}`}
            aria-label={`${control.label} line ${line}`}
            aria-pressed={control.pressed ? control.pressed(call) : undefined}
            // Not `disabled`: that would drop keyboard focus to the page while a command runs.
            aria-disabled={pending || undefined}
            onClick={() => {
              press(control.kind);
            }}
          >
            {control.label}
          </button>
        ))}
      </div>
      {error && (
        <p className="command-error" role="alert">
          {error}
        </p>
      )}
      {transferring && (
        <TransferDialog
          line={line}
          consult={consultCall(table, line)}
          canCallFirst={capabilities.includes('MakeCall')}
          onClose={() => {
            setTransferring(false);
          }}
          onTransfer={(target) => {
            setTransferring(false);
            void send({ kind: 'Transfer', line, target });
          }}
          onCallFirst={(target) => {
            // The consultation goes out on another line; the engine holds this call.
            setTransferring(false);
            void send({ kind: 'MakeCall', number: target });
          }}
          onJoin={() => {
            setTransferring(false);
            void send({ kind: 'Transfer', line });
          }}
        />
      )}
    </div>
  );
}
