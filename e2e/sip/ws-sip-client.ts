import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { digestAnswer, parseSip, type SipMessage } from './sip-message.ts';

/**
 * A bare SIP-over-WebSocket user agent (RFC 7118) for testing the rig's WebSocket side
 * without a browser: it speaks as JsSIP does (subprotocol "sip", a Contact at an
 * unreachable `.invalid` host, Via transport WS), so the rig must route to it by its
 * connection. Only what the rig's own test needs: REGISTER, one call each way.
 */

const token = () => randomBytes(6).toString('hex');

interface Waiter {
  readonly accepts: (message: SipMessage) => boolean;
  readonly resolve: (message: SipMessage) => void;
}

export class WsSipClient {
  /** Where JsSIP would say it is: a name nobody can reach, so only the connection works. */
  readonly host = `${token()}.invalid`;
  readonly #socket: WebSocket;
  readonly #inbox: SipMessage[] = [];
  readonly #waiters = new Set<Waiter>();
  #closed = false;
  /** Resolves when the connection closes, from either end (a Kamailio going away). */
  readonly closed: Promise<void>;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('message', (data: Buffer) => {
      const message = parseSip(data.toString());
      for (const waiter of this.#waiters) {
        if (waiter.accepts(message)) {
          this.#waiters.delete(waiter);
          waiter.resolve(message);
          return;
        }
      }
      this.#inbox.push(message);
    });
    socket.once('close', () => {
      this.#closed = true;
    });
  }

  static connect(url: string, timeoutMs = 5_000): Promise<WsSipClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, 'sip', { handshakeTimeout: timeoutMs });
      socket.once('open', () => resolve(new WsSipClient(socket)));
      socket.once('error', reject);
    });
  }

  /** The subprotocol the server agreed to: "sip". */
  get protocol(): string {
    return this.#socket.protocol;
  }

  contact(user: string): string {
    return `<sip:${user}@${this.host};transport=ws>`;
  }

  via(): string {
    return `SIP/2.0/WS ${this.host};branch=z9hG4bK${token()}`;
  }

  send(lines: readonly string[], body = ''): void {
    const head = [...lines, `Content-Length: ${Buffer.byteLength(body)}`].join('\r\n');
    this.#socket.send(`${head}\r\n\r\n${body}`);
  }

  /** The first message, queued or still to come, that `accepts`; bounded by `timeoutMs`. */
  next(
    accepts: (message: SipMessage) => boolean,
    what: string,
    timeoutMs = 5_000,
  ): Promise<SipMessage> {
    const queued = this.#inbox.findIndex(accepts);
    if (queued !== -1) {
      const [message] = this.#inbox.splice(queued, 1);
      if (message) return Promise.resolve(message);
    }
    if (this.#closed) return Promise.reject(new Error(`connection closed, no ${what}`));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        accepts,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`no ${what} in ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /** A response to `request` with its Via, From, To (tagged), Call-ID, CSeq, Record-Route. */
  respond(
    request: SipMessage,
    statusLine: string,
    extra: readonly string[] = [],
    body = '',
    toTag = '',
  ): void {
    const to = request.header('to') ?? '';
    this.send(
      [
        `SIP/2.0 ${statusLine}`,
        ...request.all('via').map((via) => `Via: ${via}`),
        `From: ${request.header('from') ?? ''}`,
        `To: ${toTag === '' || to.includes(';tag=') ? to : `${to};tag=${toTag}`}`,
        `Call-ID: ${request.header('call-id') ?? ''}`,
        `CSeq: ${request.header('cseq') ?? ''}`,
        ...request.all('record-route').map((route) => `Record-Route: ${route}`),
        ...extra,
      ],
      body,
    );
  }

  close(): Promise<void> {
    if (!this.#closed) this.#socket.close();
    return this.closed;
  }
}

const isResponse = (callId: string, cseq: string) => (message: SipMessage) =>
  message.status !== undefined &&
  message.header('call-id') === callId &&
  message.header('cseq') === cseq;

const isFinal = (callId: string, cseq: string) => (message: SipMessage) =>
  isResponse(callId, cseq)(message) && (message.status ?? 0) >= 200;

/** REGISTER `user` at `domain` over the client's connection; the final response. */
export async function registerOverWs(
  client: WsSipClient,
  domain: string,
  credentials: { readonly user: string; readonly password: string },
  expires = 300,
): Promise<SipMessage> {
  const callId = token();
  const fromTag = token();
  const uri = `sip:${domain}`;
  const request = (cseq: number, authorization: readonly string[]) => {
    client.send([
      `REGISTER ${uri} SIP/2.0`,
      `Via: ${client.via()}`,
      'Max-Forwards: 70',
      `From: <sip:${credentials.user}@${domain}>;tag=${fromTag}`,
      `To: <sip:${credentials.user}@${domain}>`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} REGISTER`,
      `Contact: ${client.contact(credentials.user)};expires=${expires}`,
      ...authorization,
    ]);
    return client.next(isFinal(callId, `${cseq} REGISTER`), `a reply to REGISTER ${cseq}`);
  };
  const first = await request(1, []);
  const challenge = first.header('www-authenticate');
  if (first.status !== 401 || challenge === undefined) return first;
  const answer = digestAnswer(challenge, credentials, 'REGISTER', uri);
  return request(2, [`Authorization: ${answer}`]);
}

/**
 * An SDP shaped as Chrome writes one (DTLS-SRTP fingerprint, ICE credentials, BUNDLE,
 * rtcp-mux), enough for rtpengine to take it as WebRTC. Nothing answers ICE on port 9.
 */
export const WEBRTC_SHAPED_SDP = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 0',
  'c=IN IP4 127.0.0.1',
  'a=rtcp:9 IN IP4 127.0.0.1',
  'a=candidate:1 1 udp 2122260223 127.0.0.1 9 typ host generation 0',
  'a=ice-ufrag:rigX',
  'a=ice-pwd:callbridgeSipRigIcePassword',
  'a=fingerprint:sha-256 83:02:25:59:07:03:A8:87:78:70:B8:05:4C:77:8E:89:64:DD:F9:F0:3E:C1:CD:07:98:02:95:31:AB:5D:9E:FC',
  'a=setup:actpass',
  'a=mid:0',
  'a=sendrecv',
  'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2',
  'a=rtpmap:0 PCMU/8000',
  '',
].join('\r\n');

/**
 * Answers the next INVITE (180, then 200 with `sdp`), takes its ACK and then a BYE.
 * Resolves with the INVITE, ACK and BYE as the rig delivered them.
 */
export async function answerOverWs(
  client: WsSipClient,
  user: string,
  timeoutMs = 10_000,
): Promise<{ invite: SipMessage; ack: SipMessage; bye: SipMessage }> {
  const invite = await client.next((m) => m.method === 'INVITE', 'an INVITE', timeoutMs);
  const callId = invite.header('call-id') ?? '';
  const tag = token();
  const contact = `Contact: ${client.contact(user)}`;
  client.respond(invite, '180 Ringing', [contact], '', tag);
  client.respond(
    invite,
    '200 OK',
    [contact, 'Content-Type: application/sdp'],
    // An answer takes a DTLS role; only an offer may leave it open.
    WEBRTC_SHAPED_SDP.replace('a=setup:actpass', 'a=setup:active'),
    tag,
  );
  const inDialog = (method: string) => (message: SipMessage) =>
    message.method === method && message.header('call-id') === callId;
  const ack = await client.next(inDialog('ACK'), 'the ACK of the 200', timeoutMs);
  const bye = await client.next(inDialog('BYE'), 'a BYE', timeoutMs);
  client.respond(bye, '200 OK');
  return { invite, ack, bye };
}

export interface CallOptions {
  /** How long the call lasts before the BYE, in ms. */
  readonly lengthMs?: number;
  /** Send a re-INVITE with this SDP direction (hold is sendonly) before the BYE. */
  readonly reinvite?: 'sendonly' | 'recvonly' | 'inactive' | 'sendrecv';
  /** More headers for the INVITE, e.g. the `Replaces:` of an attended transfer. */
  readonly headers?: readonly string[];
  /** Told of the 200 once it is ACKed, before the call's length starts. */
  readonly answered?: (ok: SipMessage) => void;
}

/**
 * Calls `callee` as `credentials.user`: INVITE, the 407 and its ACK, INVITE with
 * credentials, 200, ACK, (a re-INVITE and its ACK,) BYE, along the Record-Route set.
 * Resolves with every final response, in order.
 */
export async function callOverWs(
  client: WsSipClient,
  domain: string,
  credentials: { readonly user: string; readonly password: string },
  callee: string,
  options: CallOptions = {},
): Promise<SipMessage[]> {
  const callId = token();
  const fromTag = token();
  const from = `From: <sip:${credentials.user}@${domain}>;tag=${fromTag}`;
  const target = `sip:${callee}@${domain}`;
  const finals: SipMessage[] = [];
  const invite = async (cseq: number, authorization: readonly string[]) => {
    const via = client.via();
    client.send(
      [
        `INVITE ${target} SIP/2.0`,
        `Via: ${via}`,
        'Max-Forwards: 70',
        from,
        `To: <${target}>`,
        `Call-ID: ${callId}`,
        `CSeq: ${cseq} INVITE`,
        `Contact: ${client.contact(credentials.user)}`,
        'Content-Type: application/sdp',
        ...(options.headers ?? []),
        ...authorization,
      ],
      WEBRTC_SHAPED_SDP,
    );
    const final = await client.next(isFinal(callId, `${cseq} INVITE`), `a final reply`, 10_000);
    finals.push(final);
    return { final, via };
  };
  const first = await invite(1, []);
  const challenge = first.final.header('proxy-authenticate');
  if (first.final.status !== 407 || challenge === undefined) return finals;
  // The ACK of a non-2xx reply is part of the INVITE's transaction: same Via branch.
  client.send([
    `ACK ${target} SIP/2.0`,
    `Via: ${first.via}`,
    'Max-Forwards: 70',
    from,
    `To: ${first.final.header('to') ?? ''}`,
    `Call-ID: ${callId}`,
    'CSeq: 1 ACK',
  ]);
  const answer = digestAnswer(challenge, credentials, 'INVITE', target);
  const { final: ok } = await invite(2, [`Proxy-Authorization: ${answer}`]);
  if (ok.status !== 200) return finals;
  // A UAC's route set is the 200's Record-Route in reverse; the target its Contact.
  const remote = /<([^>]+)>/.exec(ok.header('contact') ?? '')?.[1] ?? target;
  const routes = ok
    .all('record-route')
    .reverse()
    .map((route) => `Route: ${route}`);
  const inDialog = (method: string, cseq: number) => [
    `${method} ${remote} SIP/2.0`,
    `Via: ${client.via()}`,
    ...routes,
    'Max-Forwards: 70',
    from,
    `To: ${ok.header('to') ?? ''}`,
    `Call-ID: ${callId}`,
    `CSeq: ${cseq} ${method}`,
  ];
  client.send(inDialog('ACK', 2));
  options.answered?.(ok);
  let cseq = 3;
  if (options.reinvite !== undefined) {
    const sdp = WEBRTC_SHAPED_SDP.replace('a=sendrecv', `a=${options.reinvite}`);
    client.send(
      [
        ...inDialog('INVITE', cseq),
        `Contact: ${client.contact(credentials.user)}`,
        'Content-Type: application/sdp',
      ],
      sdp,
    );
    finals.push(await client.next(isFinal(callId, `${cseq} INVITE`), 'the re-INVITE reply'));
    client.send(inDialog('ACK', cseq));
    cseq += 1;
  }
  // The call's length is the point here, not a wait for something to happen.
  await new Promise((resolve) => setTimeout(resolve, options.lengthMs ?? 200));
  client.send(inDialog('BYE', cseq));
  finals.push(await client.next(isFinal(callId, `${cseq} BYE`), 'the reply to BYE'));
  return finals;
}
