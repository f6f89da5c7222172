import { randomBytes } from 'node:crypto';
import type { SipRig } from '../e2e/sip/rig.ts';
import type { SipMessage } from '../e2e/sip/sip-message.ts';
import { registerOverWs, WsSipClient } from '../e2e/sip/ws-sip-client.ts';

/**
 * The second baseline of the INVITE → 180 figure: the least a WebSocket softphone could
 * do, on the very path Callbridge's calls take (Kamailio's WebSocket side, rtpengine
 * turning the offer into WebRTC), but with no browser, no JsSIP and no core. A bare
 * RFC 7118 user agent in this process (e2e/sip/ws-sip-client.ts) that answers 180 as the
 * INVITE arrives, then takes the caller's CANCEL: 200, 487, and the proxy's ACK.
 */
export interface WsRinger {
  /** Rings for the next INVITE and sees its CANCEL through; resolves once the ACK came. */
  ring(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function startWsRinger(rig: SipRig, user: string): Promise<WsRinger> {
  const client = await WsSipClient.connect(rig.wsUrl);
  const registered = await registerOverWs(
    client,
    rig.domain,
    { user, password: rig.password(user) },
    3_000,
  );
  if (registered.status !== 200) {
    await client.close();
    throw new Error(`the WebSocket baseline could not register ${user}: ${registered.status}`);
  }
  const contact = `Contact: ${client.contact(user)}`;
  return {
    async ring(timeoutMs) {
      const invite = await client.next((m) => m.method === 'INVITE', 'an INVITE', timeoutMs);
      const tag = randomBytes(6).toString('hex');
      client.respond(invite, '180 Ringing', [contact], '', tag);
      const callId = invite.header('call-id') ?? '';
      const inCall = (method: string) => (message: SipMessage) =>
        message.method === method && message.header('call-id') === callId;
      const cancel = await client.next(inCall('CANCEL'), 'the CANCEL', timeoutMs);
      client.respond(cancel, '200 OK', [], '', tag);
      client.respond(invite, '487 Request Terminated', [], '', tag);
      await client.next(inCall('ACK'), 'the ACK of the 487', timeoutMs);
    },
    close: () => client.close(),
  };
}
