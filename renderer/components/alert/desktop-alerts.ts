import { useSyncExternalStore } from 'react';

/**
 * Whether the browser lets us raise Web Notifications. Read once and then kept up to date,
 * because `Notification.permission` asks the browser process each time and the alert path
 * must not wait on it.
 */

type Permission = NotificationPermission | 'unsupported';

const supported = typeof window !== 'undefined' && 'Notification' in window;
let permission: Permission = supported ? Notification.permission : 'unsupported';
const listeners = new Set<() => void>();

function set(next: Permission): void {
  if (next === permission) return;
  permission = next;
  for (const listener of listeners) listener();
}

if (supported && 'permissions' in navigator) {
  void navigator.permissions
    .query({ name: 'notifications' })
    .then((status) => {
      status.addEventListener('change', () => {
        set(Notification.permission);
      });
    })
    .catch(() => undefined);
}

export function desktopAlertPermission(): Permission {
  return permission;
}

export async function requestDesktopAlerts(): Promise<void> {
  if (!supported) return;
  set(await Notification.requestPermission());
}

export function useDesktopAlertPermission(): Permission {
  return useSyncExternalStore((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, desktopAlertPermission);
}
