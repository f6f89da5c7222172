import { useEffect, useRef } from 'react';
import { useApp } from '../../store/app-store.ts';
import { selectIsElectron } from '../../store/connection-slice.ts';
import { useDesktopAlertPermission } from './desktop-alerts.ts';
import { useRingingCalls } from './use-ringing-calls.ts';

const IDLE_TITLE = 'Comms Manager — Callbridge';

/**
 * The parts of the alert that live outside the page: the window title (the taskbar shows
 * it) and a Web Notification per ringing call. Under Electron the shell raises the native
 * notification itself, so this one stays quiet there.
 */
export function DesktopNotifier() {
  const ringing = useRingingCalls();
  const isElectron = useApp(selectIsElectron);
  const permission = useDesktopAlertPermission();
  const open = useRef(new Map<string, Notification>());

  useEffect(() => {
    document.title =
      ringing.length === 0 ? IDLE_TITLE : `(${ringing.length}) Incoming call — Comms Manager`;
  }, [ringing.length]);

  useEffect(() => {
    const notifications = open.current;
    const ringingIds = new Set(ringing.map(({ call }) => call.id));
    for (const [id, notification] of notifications) {
      if (!ringingIds.has(id)) {
        notification.close();
        notifications.delete(id);
      }
    }
    if (isElectron || permission !== 'granted') return;
    for (const { line, call } of ringing) {
      if (notifications.has(call.id)) continue;
      const notification = new Notification(`Incoming call on line ${line}`, {
        body: [call.number || 'Unknown number', call.callerId].filter(Boolean).join(' · '),
        tag: `callbridge-call-${call.id}`,
        requireInteraction: true,
      });
      notification.addEventListener('click', () => {
        window.focus();
        notification.close();
      });
      notifications.set(call.id, notification);
    }
  }, [ringing, isElectron, permission]);

  useEffect(() => {
    const notifications = open.current;
    return () => {
      for (const notification of notifications.values()) notification.close();
      notifications.clear();
    };
  }, []);

  return null;
}
