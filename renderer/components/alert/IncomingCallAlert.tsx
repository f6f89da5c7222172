import { BellIcon } from '../icons.tsx';
import { CallControls } from '../lines/CallControls.tsx';
import { useRingingCalls } from './use-ringing-calls.ts';

/**
 * The receptionist's cue: impossible to miss while a call rings, gone when it stops. No
 * ticking timer inside, because everything in an alert region is read out as it changes.
 */
export function IncomingCallAlert() {
  const ringing = useRingingCalls();
  if (ringing.length === 0) return null;

  return (
    <section className="incoming-alert" role="alert" aria-label="Incoming call">
      <div className="incoming-alert-icon" aria-hidden="true">
        <BellIcon />
      </div>
      <div className="incoming-alert-body">
        <p className="incoming-alert-title">
          {ringing.length === 1 ? 'Incoming call' : `${ringing.length} incoming calls`}
        </p>
        {ringing.map(({ line, call }) => (
          <div className="incoming-call" key={call.id} data-line={line}>
            <p className="incoming-call-line">Line {line}</p>
            <p className="incoming-call-number">{call.number || 'Unknown number'}</p>
            {call.callerId && <p className="incoming-call-caller">{call.callerId}</p>}
            <CallControls line={line} call={call} />
          </div>
        ))}
      </div>
    </section>
  );
}
