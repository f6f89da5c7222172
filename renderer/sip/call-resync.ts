import type { CallEvent } from '../../shared/model/call-event.ts';
import type { Call, CallPhase, Direction } from '../../shared/model/line-table.ts';

/**
 * What to tell a core that has (re)connected about one of the engine's calls, given what
 * its line table already shows on that line. The line table's transitions treat an
 * Incoming on a connected call as a new call (the old one goes to history), so a call the
 * core knows only gets the events that bring its phase up to date. Pure.
 */

export interface LiveCall {
  readonly line: number;
  readonly ref: string;
  readonly phase: CallPhase;
  readonly direction: Direction;
  readonly number: string;
  readonly callerId: string;
  readonly muted: boolean;
  readonly silenced: boolean;
  readonly ringback: 'ringing' | 'early-media' | null;
}

/** Mute and Silence on top of the phase, for a core whose table lacks them. */
function flagEvents(call: LiveCall, shown: Call | null): CallEvent[] {
  const { line, ref } = call;
  const shownMuted = shown !== null && 'muted' in shown && shown.muted === true;
  const shownSilenced = shown !== null && 'silenced' in shown && shown.silenced === true;
  const connected = call.phase === 'established' || call.phase === 'held';
  const events: CallEvent[] = [];
  if (connected && call.muted !== shownMuted)
    events.push({ kind: 'Muted', line, ref, muted: call.muted });
  if (call.phase === 'ringing' && call.silenced && !shownSilenced) {
    events.push({ kind: 'Silenced', line, ref });
  }
  const shownRingback = shown?.phase === 'dialing' ? shown.ringback : undefined;
  if (call.phase === 'dialing' && call.ringback !== null && call.ringback !== shownRingback) {
    events.push({ kind: 'Ringback', line, ref, earlyMedia: call.ringback === 'early-media' });
  }
  return events;
}

/** The whole story of the call, for a core that has not seen it. */
export function announceEvents(call: LiveCall): CallEvent[] {
  const { line, ref, number, callerId } = call;
  const withName = callerId === '' ? {} : { callerId };
  const events: CallEvent[] = [
    call.direction === 'inbound'
      ? { kind: 'Incoming', line, ref, number, ...withName }
      : { kind: 'Dialing', line, ref, number, ...withName },
  ];
  if (call.phase === 'established' || call.phase === 'held') {
    events.push({ kind: 'Established', line, ref });
  }
  if (call.phase === 'held') events.push({ kind: 'Held', line, ref });
  return [...events, ...flagEvents(call, null)];
}

export function resyncEvents(call: LiveCall, shown: Call | null): CallEvent[] {
  if (shown === null || shown.ref !== call.ref) return announceEvents(call);
  // Hold, resume and answering a held call keep the table's mute, so the flags are
  // compared with what it shows now.
  return [...phaseEvents(call, shown), ...flagEvents(call, shown)];
}

/**
 * The event that says "this call is still here" and changes nothing in a table that shows
 * it already (the line table takes a repeat as a no-op). The core's SIP backend counts on
 * it after a host change: a call no page confirms was lost with its page.
 */
function confirmEvent(call: LiveCall): CallEvent {
  const { line, ref, number } = call;
  switch (call.phase) {
    case 'ringing':
      return { kind: 'Incoming', line, ref, number };
    case 'dialing':
      return { kind: 'Dialing', line, ref, number };
    case 'established':
      return { kind: 'Established', line, ref };
    case 'held':
      return { kind: 'Held', line, ref };
  }
}

function phaseEvents(call: LiveCall, shown: Call): CallEvent[] {
  const { line, ref } = call;
  if (shown.phase === call.phase) return [confirmEvent(call)];
  switch (call.phase) {
    case 'ringing':
    case 'dialing':
      // The core cannot be ahead of the engine; its table is what it is.
      return [];
    case 'established':
      return [
        shown.phase === 'held'
          ? { kind: 'Resumed', line, ref }
          : { kind: 'Established', line, ref },
      ];
    case 'held':
      return shown.phase === 'established'
        ? [{ kind: 'Held', line, ref }]
        : [
            { kind: 'Established', line, ref },
            { kind: 'Held', line, ref },
          ];
  }
}
