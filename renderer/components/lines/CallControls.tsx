import { useState, type MouseEvent } from 'react';
import type { CommandKind } from '../../../shared/model/command.ts';
import type { Call } from '../../../shared/model/line-table.ts';
import { useApp } from '../../store/app-store.ts';
import { TransferDialog } from './TransferDialog.tsx';
import { useCommand, type CommandRequest } from './use-command.ts';

interface Control {
  readonly kind: CommandKind;
  readonly label: string;
  readonly tone: 'primary' | 'danger' | 'plain';
  readonly appliesTo: (call: Call) => boolean;
}

/** Offered only when the call is in a phase where it makes sense AND the backend can do it. */
const CONTROLS: readonly Control[] = [
  {
    kind: 'Answer',
    label: 'Answer',
    tone: 'primary',
    appliesTo: (call) => call.phase === 'ringing' && call.direction === 'inbound',
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
    appliesTo: (call) => call.phase === 'ringing' && call.direction === 'inbound',
  },
  {
    kind: 'Drop',
    label: 'Hang up',
    tone: 'danger',
    appliesTo: (call) => !(call.phase === 'ringing' && call.direction === 'inbound'),
  },
];

const commandFor = (kind: CommandKind, line: number): CommandRequest | null => {
  switch (kind) {
    case 'Answer':
    case 'Hold':
    case 'Retrieve':
    case 'Drop':
      return { kind, line };
    default:
      return null;
  }
};

// Clicks here act on the call, not on the line card around it (which selects the line).
const keepFromCard = (event: MouseEvent) => {
  event.stopPropagation();
};

export function CallControls({ line, call }: { line: number; call: Call }) {
  const capabilities = useApp((state) => state.linesView.capabilities);
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
    const command = commandFor(kind, line);
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
          onClose={() => {
            setTransferring(false);
          }}
          onTransfer={(target) => {
            setTransferring(false);
            void send({ kind: 'Transfer', line, target });
          }}
        />
      )}
    </div>
  );
}
