import { routeTo } from './audio-devices.ts';

/**
 * The sound of an incoming call: the ringtone when nothing else is up, the softer
 * call-waiting tone over a call in progress. Both are WAVs shipped in renderer/public and
 * looped by an HTMLAudioElement, so nothing is synthesised while the page is busy.
 */

export type RingMode = 'off' | 'ring' | 'waiting';

const SOUNDS: Readonly<Record<Exclude<RingMode, 'off'>, string>> = {
  ring: 'sounds/ringtone.wav',
  waiting: 'sounds/call-waiting.wav',
};

export class Ringer {
  #mode: RingMode = 'off';
  readonly #elements = new Map<Exclude<RingMode, 'off'>, HTMLAudioElement>();
  readonly #onBlocked: (error: string) => void;
  readonly #device: () => string | null;

  /** `device`: Settings' ringer as the system has it now; null for the default. */
  constructor(device: () => string | null, onBlocked: (error: string) => void) {
    this.#device = device;
    this.#onBlocked = onBlocked;
  }

  get mode(): RingMode {
    return this.#mode;
  }

  set(mode: RingMode): void {
    if (mode === this.#mode) return;
    if (this.#mode !== 'off') this.#stop(this.#mode);
    this.#mode = mode;
    if (mode === 'off') return;
    const element = this.#element(mode);
    element.currentTime = 0;
    const blocked = (error: string) => {
      if (this.#mode === mode) this.#onBlocked(error);
    };
    // Autoplay policy may refuse a page nobody has clicked; the call still shows.
    void routeTo(element, this.#device())
      .then((refused) => {
        if (refused !== null) blocked(`the chosen ringer could not be used: ${refused}`);
        // Silenced or answered while the device was being switched: stay quiet.
        return this.#mode === mode ? element.play() : undefined;
      })
      .catch((error: unknown) => {
        blocked(error instanceof Error ? error.message : String(error));
      });
  }

  dispose(): void {
    this.set('off');
    for (const element of this.#elements.values()) element.removeAttribute('src');
    this.#elements.clear();
  }

  #element(mode: Exclude<RingMode, 'off'>): HTMLAudioElement {
    const existing = this.#elements.get(mode);
    if (existing) return existing;
    // BASE_URL is './': relative to the page, so both the app scheme and `serve` find it.
    const element = new Audio(`${import.meta.env.BASE_URL}${SOUNDS[mode]}`);
    element.loop = true;
    element.dataset['sipRinger'] = mode;
    this.#elements.set(mode, element);
    return element;
  }

  #stop(mode: Exclude<RingMode, 'off'>): void {
    const element = this.#elements.get(mode);
    if (!element) return;
    element.pause();
    element.currentTime = 0;
  }
}
