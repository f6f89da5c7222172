import { routeTo } from './audio-devices.ts';

/**
 * Where a call's far end is heard: one `<audio autoplay>` per call, made by the engine
 * (never by React, which may re-render or unmount it mid-call) and removed when the call
 * ends. Early media (183 with SDP) plays through it too: JsSIP applies that SDP to the
 * same peer connection, whose tracks land here. The element is made with the first sound:
 * an incoming call has none until it is answered, and its 180 goes out sooner without DOM
 * work in the way.
 */
export class RemoteAudio {
  #element: HTMLAudioElement | null = null;
  readonly #callId: string;
  readonly #onBlocked: (error: string) => void;
  #connection: RTCPeerConnection | null = null;
  readonly #onTrack = (event: RTCTrackEvent): void => {
    this.#play(event.streams[0] ?? new MediaStream([event.track]));
  };

  readonly #speaker: string | null;

  /** `callId` marks the element so that a test or a person in devtools can find it. */
  constructor(callId: string, speaker: string | null, onBlocked: (error: string) => void) {
    this.#speaker = speaker;
    this.#callId = callId;
    this.#onBlocked = onBlocked;
  }

  #made(): HTMLAudioElement {
    if (this.#element !== null) return this.#element;
    const element = document.createElement('audio');
    element.autoplay = true;
    element.hidden = true;
    element.dataset['sipCall'] = this.#callId;
    element.addEventListener('error', () => {
      this.#onBlocked(element.error?.message ?? 'the media element failed');
    });
    document.body.append(element);
    this.#element = element;
    return element;
  }

  /** The call's peer connection, once JsSIP has made it (at once when dialling, on answer otherwise). */
  attach(connection: RTCPeerConnection): void {
    if (this.#connection === connection) return;
    this.#connection?.removeEventListener('track', this.#onTrack);
    this.#connection = connection;
    connection.addEventListener('track', this.#onTrack);
    // Tracks that arrived before this was attached.
    const tracks = connection
      .getReceivers()
      .map((receiver) => receiver.track)
      .filter((track) => track.kind === 'audio');
    if (tracks.length > 0) this.#play(new MediaStream(tracks));
  }

  dispose(): void {
    this.#connection?.removeEventListener('track', this.#onTrack);
    this.#connection = null;
    const element = this.#element;
    if (element === null) return;
    element.pause();
    element.srcObject = null;
    element.remove();
  }

  #play(stream: MediaStream): void {
    const element = this.#made();
    if (element.srcObject === stream) return;
    element.srcObject = stream;
    // The chosen speaker first, so that not a moment of the call plays elsewhere.
    void routeTo(element, this.#speaker)
      .then((refused) => {
        if (refused !== null) this.#onBlocked(`the chosen speaker could not be used: ${refused}`);
        return element.play();
      })
      .catch((error: unknown) => {
        this.#onBlocked(error instanceof Error ? error.message : String(error));
      });
  }
}
