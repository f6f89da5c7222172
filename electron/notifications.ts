import { Notification } from 'electron';
import type { Call } from '../shared/model/line-table.ts';
import type { Core, IncomingCallAlert } from './core/core-api.ts';

/**
 * A native notification per ringing call. It goes away by itself once the call stops
 * ringing (answered elsewhere, missed), and a click brings the Comms Manager up.
 *
 * Returns a function that stops and clears them all.
 */
export function notifyIncomingCalls(core: Core, onClick: () => void): () => void {
  // Held here as well as shown: a notification that is garbage-collected loses its click.
  const shown = new Map<string, Notification>();

  const stopAlerts = core.onIncomingCall((alert) => {
    if (!Notification.isSupported() || shown.has(alert.call.id)) return;
    const notification = new Notification(incomingCallNotice(alert));
    notification.on('click', onClick);
    notification.on('close', () => shown.delete(alert.call.id));
    shown.set(alert.call.id, notification);
    notification.show();
  });

  const stopLines = core.bridge.on('lines', ({ table }) => {
    const ringing = new Set(
      table.lines.flatMap(({ call }) => (call?.phase === 'ringing' ? [call.id] : [])),
    );
    for (const [id, notification] of shown) {
      if (!ringing.has(id)) {
        shown.delete(id);
        notification.close();
      }
    }
  });

  return () => {
    stopAlerts();
    stopLines();
    for (const notification of shown.values()) notification.close();
    shown.clear();
  };
}

function incomingCallNotice({ line, call }: IncomingCallAlert) {
  return {
    title: `Incoming call on line ${line}`,
    body: plainText(caller(call)),
    urgency: 'critical',
    timeoutType: 'never',
  } as const;
}

function caller({ number, callerId }: Call): string {
  const shownNumber = number === '' ? 'Unknown number' : number;
  return callerId === '' || callerId === number ? shownNumber : `${shownNumber} — ${callerId}`;
}

/**
 * Linux notification servers may read the body as markup; a caller ID is text from the
 * PBX, so it must not be able to add links or formatting there.
 */
function plainText(text: string): string {
  if (process.platform !== 'linux') return text;
  return text.replace(/[&<>]/g, (character) => MARKUP_ESCAPES[character] ?? character);
}

const MARKUP_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
