import type { CDPSession, Page } from 'playwright-core';

/**
 * Where a Callbridge INVITE → 180 goes: how much of it is spent in the page, from the
 * INVITE's WebSocket frame arriving to the 180's frame leaving, as Chromium's DevTools
 * stamp them (Network.webSocketFrameReceived / Sent, one monotonic clock). The rest is
 * the wire, Kamailio and rtpengine, and the core is not on that path at all: the engine
 * answers 180 by itself and tells the core afterwards.
 */
export class PageSipTimes {
  readonly #invites = new Map<string, number>();
  readonly #ringing = new Map<string, number>();
  readonly #cdp: CDPSession;

  private constructor(cdp: CDPSession) {
    this.#cdp = cdp;
  }

  static async attach(page: Page): Promise<PageSipTimes> {
    const cdp = await page.context().newCDPSession(page);
    const times = new PageSipTimes(cdp);
    cdp.on('Network.webSocketFrameReceived', ({ timestamp, response }) => {
      const callId = callIdOf(response.payloadData, /^INVITE /);
      if (callId !== null && !times.#invites.has(callId)) times.#invites.set(callId, timestamp);
    });
    cdp.on('Network.webSocketFrameSent', ({ timestamp, response }) => {
      const callId = callIdOf(response.payloadData, /^SIP\/2\.0 180 /);
      if (callId !== null && !times.#ringing.has(callId)) times.#ringing.set(callId, timestamp);
    });
    await cdp.send('Network.enable');
    return times;
  }

  /** ms from the INVITE frame in to the 180 frame out, once both were seen; forgets the call. */
  take(callId: string): number | undefined {
    const invite = this.#invites.get(callId);
    const ringing = this.#ringing.get(callId);
    this.#invites.delete(callId);
    this.#ringing.delete(callId);
    return invite === undefined || ringing === undefined ? undefined : (ringing - invite) * 1000;
  }

  async detach(): Promise<void> {
    await this.#cdp.detach();
  }
}

function callIdOf(payload: string, startLine: RegExp): string | null {
  if (!startLine.test(payload)) return null;
  return /^(?:Call-ID|i):\s*(\S+)/im.exec(payload)?.[1] ?? null;
}
