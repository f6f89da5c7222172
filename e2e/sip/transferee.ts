import { randomBytes } from 'node:crypto';
import type { SipMessage } from './sip-message.ts';
import { callOverWs, WEBRTC_SHAPED_SDP, type WsSipClient } from './ws-sip-client.ts';

/**
 * The far end of a call that the Comms Manager transfers, as a SIP phone carries out a
 * REFER (RFC 3515) over the rig's WebSocket: it answers the page's call, goes along with
 * hold and resume, takes the REFER (202), calls the Refer-To target itself with the
 * Replaces header the Refer-To carries (RFC 3891), authenticated as its own user, and
 * reports the target's answer in a NOTIFY (`message/sipfrag`, `SIP/2.0 200 OK`,
 * subscription terminated). Then it expects the page's BYE, as a transferor sends once
 * the transfer has worked.
 */

const token = () => randomBytes(6).toString('hex');

/** RFC 3264: the answer's direction mirrors the offer's. */
const MIRROR: Readonly<Record<string, string>> = {
  sendonly: 'recvonly',
  recvonly: 'sendonly',
  inactive: 'inactive',
  sendrecv: 'sendrecv',
};

function answerSdp(offer: string): string {
  const direction = /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m.exec(offer)?.[1] ?? 'sendrecv';
  return WEBRTC_SHAPED_SDP.replace('a=setup:actpass', 'a=setup:active').replace(
    'a=sendrecv',
    `a=${MIRROR[direction] ?? 'sendrecv'}`,
  );
}

/** `<sip:1004@host?Replaces=abc%3Bto-tag%3D1%3Bfrom-tag%3D2>`: the target and its Replaces. */
export function parseReferTo(
  referTo: string,
): { uri: string; user: string; replaces: string | null } | null {
  const inside = /<([^>]+)>/.exec(referTo)?.[1] ?? referTo.trim();
  const [uri = '', query = ''] = inside.split('?', 2);
  const user = /^sips?:([^@;]+)@/.exec(uri)?.[1];
  if (user === undefined) return null;
  const replaces = /(?:^|&)Replaces=([^&]*)/i.exec(query)?.[1];
  return { uri, user, replaces: replaces === undefined ? null : decodeURIComponent(replaces) };
}

export interface TransfereeRun {
  /** The page's INVITE, as the rig delivered it. */
  readonly invite: SipMessage;
  /** Its re-INVITEs before the REFER (hold, resume), in order. */
  readonly reinvites: readonly SipMessage[];
  readonly refer: SipMessage;
  /** The final responses to this end's INVITE to the Refer-To target. */
  readonly targetFinals: readonly SipMessage[];
  /** The page's response to the NOTIFY that reported the target's answer. */
  readonly notifyAnswer: SipMessage;
  /** The page's BYE after the transfer. */
  readonly bye: SipMessage;
}

/**
 * Answers the next INVITE on `client` as `credentials.user`, then carries out the REFER
 * that comes in its dialog. Every wait is bounded by `timeoutMs`; anything else the page
 * sends in the dialog before the REFER (a BYE) rejects.
 */
export async function actAsTransferee(
  client: WsSipClient,
  domain: string,
  credentials: { readonly user: string; readonly password: string },
  timeoutMs = 20_000,
): Promise<TransfereeRun> {
  const invite = await client.next((m) => m.method === 'INVITE', 'an INVITE', timeoutMs);
  const callId = invite.header('call-id') ?? '';
  const tag = token();
  const contact = `Contact: ${client.contact(credentials.user)}`;
  const inDialog = (m: SipMessage) => m.method !== undefined && m.header('call-id') === callId;
  const answer = async (offer: SipMessage) => {
    client.respond(
      offer,
      '200 OK',
      [contact, 'Content-Type: application/sdp'],
      answerSdp(offer.body),
      tag,
    );
    const cseq = Number.parseInt(offer.header('cseq') ?? '', 10);
    await client.next(
      (m) => inDialog(m) && m.method === 'ACK' && m.header('cseq') === `${cseq} ACK`,
      `the ACK of INVITE ${cseq}`,
      timeoutMs,
    );
  };
  client.respond(invite, '180 Ringing', [contact], '', tag);
  await answer(invite);

  const reinvites: SipMessage[] = [];
  let refer: SipMessage | undefined;
  // Hold and resume may come first: a handful of re-INVITEs at most.
  for (let count = 0; count < 8 && refer === undefined; count += 1) {
    const request = await client.next(
      (m) => inDialog(m) && (m.method === 'INVITE' || m.method === 'REFER' || m.method === 'BYE'),
      'a REFER from the page',
      timeoutMs,
    );
    if (request.method === 'REFER') refer = request;
    else if (request.method === 'INVITE') {
      reinvites.push(request);
      await answer(request);
    } else {
      client.respond(request, '200 OK');
      throw new Error(`the page sent ${request.method} before any REFER`);
    }
  }
  if (refer === undefined) throw new Error('no REFER after 8 re-INVITEs');
  client.respond(refer, '202 Accepted', [contact]);

  const target = parseReferTo(refer.header('refer-to') ?? '');
  if (target === null) throw new Error(`unreadable Refer-To: ${refer.header('refer-to') ?? ''}`);
  const referCseq = Number.parseInt(refer.header('cseq') ?? '', 10);
  // Our side of the page's dialog: we are its UAS, so From and To swap, and the route set
  // is the INVITE's Record-Route in the order received.
  const remote = /<([^>]+)>/.exec(invite.header('contact') ?? '')?.[1] ?? '';
  const notifyCseq = 1;
  const notify = (statusLine: string) => {
    client.send(
      [
        `NOTIFY ${remote} SIP/2.0`,
        `Via: ${client.via()}`,
        ...invite.all('record-route').map((route) => `Route: ${route}`),
        'Max-Forwards: 70',
        `From: ${invite.header('to') ?? ''};tag=${tag}`,
        `To: ${invite.header('from') ?? ''}`,
        `Call-ID: ${callId}`,
        `CSeq: ${notifyCseq} NOTIFY`,
        contact,
        `Event: refer;id=${referCseq}`,
        'Subscription-State: terminated;reason=noresource',
        'Content-Type: message/sipfrag;version=2.0',
      ],
      `${statusLine}\r\n`,
    );
  };
  const referredBy = refer.header('referred-by');
  // Set from the callback, so an object: a `let` would read as never changed.
  const told = { target: false };
  const targetFinals = await callOverWs(client, domain, credentials, target.user, {
    headers: [
      ...(target.replaces === null ? [] : [`Replaces: ${target.replaces}`]),
      ...(referredBy === undefined ? [] : [`Referred-By: ${referredBy}`]),
    ],
    answered: () => {
      told.target = true;
      notify('SIP/2.0 200 OK');
    },
  });
  // The target did not answer: the transferor hears how it failed, as RFC 3515 asks.
  if (!told.target) notify(targetFinals.at(-1)?.startLine ?? 'SIP/2.0 500 Server Internal Error');
  const notifyAnswer = await client.next(
    (m) =>
      m.status !== undefined &&
      m.header('call-id') === callId &&
      m.header('cseq') === `${notifyCseq} NOTIFY`,
    'the answer to the NOTIFY',
    timeoutMs,
  );
  const bye = await client.next(
    (m) => inDialog(m) && m.method === 'BYE',
    'the BYE after the transfer',
    timeoutMs,
  );
  client.respond(bye, '200 OK');
  return { invite, reinvites, refer, targetFinals, notifyAnswer, bye };
}
