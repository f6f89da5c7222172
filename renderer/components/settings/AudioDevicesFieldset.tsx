import { useCallback, useEffect, useId, useState } from 'react';
import type { AudioDevice, AudioSettings } from '../../../shared/model/settings.ts';
import { resolveDevice } from '../../sip/audio-devices.ts';

type Role = keyof AudioSettings;

const ROLES: readonly {
  role: Role;
  label: string;
  kind: 'audioinput' | 'audiooutput';
  help: string;
}[] = [
  {
    role: 'microphone',
    label: 'Microphone',
    kind: 'audioinput',
    help: 'What the far end hears, from the next call on.',
  },
  {
    role: 'speaker',
    label: 'Speaker',
    kind: 'audiooutput',
    help: 'Where the far end is heard, from the next call on.',
  },
  {
    role: 'ringer',
    label: 'Ringer',
    kind: 'audiooutput',
    help: 'Where incoming calls ring, from the next ring on.',
  },
];

interface Listed {
  readonly kind: MediaDeviceKind;
  readonly deviceId: string;
  readonly label: string;
}

async function listDevices(): Promise<readonly Listed[] | string> {
  if (typeof navigator.mediaDevices === 'undefined') {
    return 'this page cannot see audio devices (it is not a secure context)';
  }
  try {
    return await navigator.mediaDevices.enumerateDevices();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

interface AudioDevicesFieldsetProps {
  readonly value: AudioSettings;
  readonly update: (change: (value: AudioSettings) => AudioSettings) => void;
}

/**
 * Microphone, speaker and ringer, from the devices the system has now. Browsers name
 * devices only once the page may use the microphone, so until then a button asks for it.
 * A saved device that is not plugged in stays chosen and is shown as such: calls then use
 * the system default until it is back.
 */
export function AudioDevicesFieldset({ value, update }: AudioDevicesFieldsetProps) {
  const id = useId();
  const [devices, setDevices] = useState<readonly Listed[]>([]);
  const [problem, setProblem] = useState<string | null>(null);

  const show = useCallback((listed: readonly Listed[] | string) => {
    if (typeof listed === 'string') {
      setProblem(listed);
      return;
    }
    setProblem(null);
    setDevices(listed);
  }, []);
  const refresh = useCallback(() => listDevices().then(show), [show]);

  useEffect(() => {
    let live = true;
    const load = () => {
      void listDevices().then((listed) => {
        if (live) show(listed);
      });
    };
    load();
    const media = typeof navigator.mediaDevices === 'undefined' ? null : navigator.mediaDevices;
    media?.addEventListener('devicechange', load);
    return () => {
      live = false;
      media?.removeEventListener('devicechange', load);
    };
  }, [show]);

  const unnamed = devices.some((device) => device.kind.startsWith('audio') && device.label === '');

  const askForNames = async () => {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
      for (const track of stream.getTracks()) track.stop();
    } catch (error) {
      setProblem(
        `device names need microphone access: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    await refresh();
  };

  const choose = (role: Role, kind: MediaDeviceKind, deviceId: string) => {
    const listed = devices.find((device) => device.kind === kind && device.deviceId === deviceId);
    const saved = value[role];
    const next: AudioDevice =
      deviceId === ''
        ? null
        : listed
          ? { deviceId, label: listed.label }
          : saved !== null && saved.deviceId === deviceId
            ? saved
            : null;
    update((current) => ({ ...current, [role]: next }));
  };

  return (
    <fieldset className="settings-section" data-section="audio">
      <legend>Audio devices</legend>
      {problem !== null && <p className="field-error">{problem}</p>}
      {unnamed && (
        <p>
          <button
            type="button"
            className="button"
            onClick={() => {
              void askForNames();
            }}
          >
            Show device names
          </button>
        </p>
      )}
      {ROLES.map(({ role, label, kind, help }) => {
        const saved = value[role];
        const ofKind = devices.filter((device) => device.kind === kind && device.deviceId !== '');
        // Found again by its label when this origin gives it another id.
        const present = resolveDevice(saved, ofKind, kind);
        const missing = saved !== null && present === null;
        return (
          <div className="field" key={role}>
            <label htmlFor={`${id}-${role}`}>{label}</label>
            <select
              id={`${id}-${role}`}
              aria-describedby={`${id}-${role}-help`}
              value={present ?? saved?.deviceId ?? ''}
              onChange={(event) => {
                choose(role, kind, event.target.value);
              }}
            >
              <option value="">System default</option>
              {ofKind
                .filter((device) => device.deviceId !== 'default')
                .map((device, index) => (
                  <option key={device.deviceId} value={device.deviceId}>
                    {device.label || `${label} ${index + 1}`}
                  </option>
                ))}
              {missing && (
                <option value={saved.deviceId}>{`${saved.label || label} (not connected)`}</option>
              )}
            </select>
            <p id={`${id}-${role}-help`} className="field-help">
              {help}
            </p>
          </div>
        );
      })}
    </fieldset>
  );
}
