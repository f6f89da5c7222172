import type { AudioDevice, AudioSettings } from '../../shared/model/settings.ts';

/**
 * Which of the system's audio devices the engine uses now, from Settings' choices. A
 * choice is found by its id, else by its label (ids differ between origins and profiles);
 * a device that is not connected now means the system default, never a failed call.
 */

export interface KnownDevice {
  readonly kind: MediaDeviceKind;
  readonly deviceId: string;
  readonly label: string;
}

/** The id to use for `choice` among `devices` of `kind`, or null for the system default. Pure. */
export function resolveDevice(
  choice: AudioDevice,
  devices: readonly KnownDevice[],
  kind: 'audioinput' | 'audiooutput',
): string | null {
  if (choice === null) return null;
  const ofKind = devices.filter((device) => device.kind === kind);
  const byId = ofKind.find((device) => device.deviceId === choice.deviceId);
  if (byId) return byId.deviceId;
  const byLabel = choice.label === '' ? undefined : ofKind.find((d) => d.label === choice.label);
  return byLabel?.deviceId ?? null;
}

/**
 * getUserMedia's constraints for the microphone. `exact`, because Chromium takes `ideal`
 * as a hint it may ignore (it did, measured); the id comes from the current device list,
 * which follows `devicechange`, so an unplugged device has already fallen back to null.
 */
export function microphoneConstraints(deviceId: string | null): MediaStreamConstraints {
  return { audio: deviceId === null ? true : { deviceId: { exact: deviceId } }, video: false };
}

/** Keeps the system's device list current (it changes when a headset is plugged in). */
export class AudioDevices {
  #devices: readonly KnownDevice[] = [];
  readonly #settings: () => AudioSettings;
  readonly #refresh = (): void => {
    void this.refresh();
  };

  constructor(settings: () => AudioSettings) {
    this.#settings = settings;
    navigator.mediaDevices.addEventListener('devicechange', this.#refresh);
    void this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      this.#devices = await navigator.mediaDevices.enumerateDevices();
    } catch {
      // No list (no permission yet): every choice means the system default.
      this.#devices = [];
    }
  }

  microphone(): MediaStreamConstraints {
    return microphoneConstraints(
      resolveDevice(this.#settings().microphone, this.#devices, 'audioinput'),
    );
  }

  speaker(): string | null {
    return resolveDevice(this.#settings().speaker, this.#devices, 'audiooutput');
  }

  ringer(): string | null {
    return resolveDevice(this.#settings().ringer, this.#devices, 'audiooutput');
  }

  dispose(): void {
    navigator.mediaDevices.removeEventListener('devicechange', this.#refresh);
  }
}

/** Sends `element`'s sound to `deviceId` (null: the default); says why if the browser cannot. */
export async function routeTo(
  element: HTMLMediaElement,
  deviceId: string | null,
): Promise<string | null> {
  const wanted = deviceId ?? '';
  if (element.sinkId === wanted) return null;
  try {
    await element.setSinkId(wanted);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
