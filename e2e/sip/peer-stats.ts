import type { Page } from 'playwright-core';

/**
 * Audio counters of the peer connections a page makes, for tests that must see media
 * flow. The engine keeps its RTCPeerConnections inside JsSIP's sessions, out of reach; an
 * init script of the test's own browser (never the app's code) wraps the constructor and
 * keeps each connection on `window`, where `getStats()` can be read. Call before the page
 * navigates.
 */

const KEPT = '__callbridgeTestPeerConnections';

export async function keepPeerConnections(page: Page): Promise<void> {
  await page.addInitScript((kept: string) => {
    const Original = window.RTCPeerConnection;
    const connections: RTCPeerConnection[] = [];
    Object.defineProperty(window, kept, { value: connections });
    // A subclass: JsSIP's `new RTCPeerConnection(...)` and `instanceof` both still work.
    window.RTCPeerConnection = class extends Original {
      constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
        super(...args);
        connections.push(this);
      }
    };
  }, KEPT);
}

export interface AudioFlow {
  readonly connectionState: RTCPeerConnectionState;
  /** outbound-rtp packetsSent and inbound-rtp packetsReceived of the audio streams. */
  readonly sent: number;
  readonly received: number;
}

/**
 * Waits until the page's newest peer connection has sent and received at least `packets`
 * audio packets each way; rejects with the last counts after `timeoutMs`. Packet counts
 * announce nothing, so this reads getStats() every 100 ms, in the page.
 */
export async function waitForAudioBothWays(
  page: Page,
  packets: number,
  timeoutMs = 15_000,
): Promise<AudioFlow> {
  const outcome = await page.evaluate(
    async ({ kept, least, timeout }) => {
      const deadline = Date.now() + timeout;
      let flow: AudioFlow | null = null;
      for (let attempt = 0; attempt < 1_000 && Date.now() < deadline; attempt += 1) {
        const connections = (window as unknown as Record<string, RTCPeerConnection[] | undefined>)[
          kept
        ];
        const connection = connections?.at(-1);
        if (connection !== undefined) {
          let sent = 0;
          let received = 0;
          (await connection.getStats()).forEach((report: RTCStats & Record<string, unknown>) => {
            if (report['kind'] !== 'audio') return;
            if (report.type === 'outbound-rtp') sent += Number(report['packetsSent'] ?? 0);
            if (report.type === 'inbound-rtp') received += Number(report['packetsReceived'] ?? 0);
          });
          flow = { connectionState: connection.connectionState, sent, received };
          if (sent >= least && received >= least) return { done: true, flow };
        }
        // Packet counters have no event of their own: getStats is read again, bounded in
        // count and time, as WebRTC's own tests do.
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return { done: false, flow };
    },
    { kept: KEPT, least: packets, timeout: timeoutMs },
  );
  if (!outcome.done || outcome.flow === null) {
    throw new Error(
      `fewer than ${packets} audio packets each way in ${timeoutMs} ms: ${JSON.stringify(outcome.flow)}`,
    );
  }
  return outcome.flow;
}
