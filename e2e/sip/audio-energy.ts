import type { Page } from 'playwright-core';

/**
 * How loud the audio a page receives is, for tests of Mute: the far end of a muted call
 * still gets packets, but what they carry is silence. Reads the inbound-rtp audio stats
 * (packetsReceived, totalAudioEnergy, totalSamplesDuration) of the page's newest peer
 * connection, as kept by peer-stats.ts's `keepPeerConnections`; the mean power over a
 * stretch of time is the growth of totalAudioEnergy over the growth of
 * totalSamplesDuration (W3C webrtc-stats: the energy is the sum of audioLevel² × duration).
 */

/** peer-stats.ts keeps each RTCPeerConnection of the page in this array on `window`. */
const KEPT = '__callbridgeTestPeerConnections';

export interface AudioStretch {
  /** Packets received over the stretch: the stream kept flowing. */
  readonly packets: number;
  /** Seconds of audio the receiver played out over the stretch. */
  readonly seconds: number;
  /** Mean power over the stretch, 0..1 (audioLevel² averaged over time). */
  readonly power: number;
}

/**
 * Waits for a stretch of at least `packets` received audio packets whose mean power is
 * above `loudAbove` (`loud: true`) or below `quietBelow` (`loud: false`). Stretches are
 * measured one after another, from the moment this is called, so audio from before (the
 * last of it before a mute took effect) ends up in the first stretch only. Rejects with
 * the stretches seen after `timeoutMs`.
 */
export async function waitForInboundAudio(
  page: Page,
  wanted: {
    readonly loud: boolean;
    readonly packets?: number;
    readonly loudAbove?: number;
    readonly quietBelow?: number;
  },
  timeoutMs = 15_000,
): Promise<AudioStretch> {
  const outcome = await page.evaluate(
    async ({ kept, loud, least, above, below, timeout }) => {
      const read = async () => {
        const connections = (window as unknown as Record<string, RTCPeerConnection[] | undefined>)[
          kept
        ];
        const connection = connections?.at(-1);
        if (connection === undefined) return null;
        let packets = 0;
        let energy = 0;
        let seconds = 0;
        (await connection.getStats()).forEach((report: RTCStats & Record<string, unknown>) => {
          if (report.type !== 'inbound-rtp' || report['kind'] !== 'audio') return;
          packets += Number(report['packetsReceived'] ?? 0);
          energy += Number(report['totalAudioEnergy'] ?? 0);
          seconds += Number(report['totalSamplesDuration'] ?? 0);
        });
        return { packets, energy, seconds };
      };
      const deadline = Date.now() + timeout;
      const seen: { packets: number; seconds: number; power: number }[] = [];
      let start = await read();
      for (let attempt = 0; attempt < 1_000 && Date.now() < deadline; attempt += 1) {
        // The counters announce nothing: read again, bounded in count and time.
        await new Promise((resolve) => setTimeout(resolve, 100));
        const now = await read();
        if (now === null) continue;
        if (start === null) {
          start = now;
          continue;
        }
        const packets = now.packets - start.packets;
        if (packets < least) continue;
        const seconds = now.seconds - start.seconds;
        const power = seconds > 0 ? (now.energy - start.energy) / seconds : 0;
        const stretch = { packets, seconds, power };
        seen.push(stretch);
        if (seconds > 0 && (loud ? power > above : power < below)) {
          return { done: true, stretch, seen };
        }
        start = now;
      }
      return { done: false, stretch: null, seen };
    },
    {
      kept: KEPT,
      loud: wanted.loud,
      least: wanted.packets ?? 50,
      // Chromium's fake microphone beeps; 1e-4 is -40 dBFS on average, far below a beep
      // and far above the decoder's output for a muted track.
      above: wanted.loudAbove ?? 1e-4,
      below: wanted.quietBelow ?? 1e-6,
      timeout: timeoutMs,
    },
  );
  if (!outcome.done || outcome.stretch === null) {
    throw new Error(
      `no ${wanted.loud ? 'loud' : 'silent'} stretch of received audio in ${timeoutMs} ms: ${JSON.stringify(outcome.seen)}`,
    );
  }
  return outcome.stretch;
}
