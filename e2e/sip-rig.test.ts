import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { portBound } from './sip/process.ts';
import {
  answeringSipp,
  callWithSipp,
  kamcmd,
  registerWithSipp,
  startRig,
  type SipRig,
} from './sip/rig.ts';
import { audioPort, sdpDirection, type SippResult } from './sip/sipp.ts';
import {
  answerOverWs,
  callOverWs,
  registerOverWs,
  WsSipClient,
  type CallOptions,
} from './sip/ws-sip-client.ts';

/**
 * The SIP rig itself, with sipp on both ends: digest authentication, registration,
 * record-routed calls, rtpengine in the media path, and a Kamailio that goes away and
 * comes back. Later e2e tests put JsSIP in Chromium on one end.
 */

const statusLines = (result: SippResult, direction: 'sent' | 'received') =>
  result.messages
    .filter((message) => message.direction === direction && message.startLine.startsWith('SIP/'))
    .map((message) => message.startLine);

const requestsReceived = (result: SippResult, method: string) =>
  result.messages.filter(
    (message) => message.direction === 'received' && message.startLine.startsWith(`${method} `),
  );

const requestsSent = (result: SippResult, method: string) =>
  result.messages.filter(
    (message) => message.direction === 'sent' && message.startLine.startsWith(`${method} `),
  );

const explain = (result: SippResult) => `${result.errors}\n${result.output.slice(-2000)}`;

/** What a WebRTC SDP has and a plain RTP/AVP one has not. */
const assertWebRtc = (sdp: string) => {
  assert.match(sdp, /^m=audio \d+ UDP\/TLS\/RTP\/SAVPF /m);
  assert.match(sdp, /^a=fingerprint:sha-256 /m);
  assert.match(sdp, /^a=ice-ufrag:/m);
  assert.match(sdp, /^a=candidate:/m);
  assert.match(sdp, /^a=rtcp-mux\s*$/m);
};
const assertPlain = (sdp: string) => {
  assert.match(sdp, /^m=audio \d+ RTP\/AVP /m);
  assert.doesNotMatch(sdp, /^a=(fingerprint|ice-ufrag|candidate|crypto|setup):/m);
};

/** sipp 1002 calls sipp 1003 through the rig; both ends' traces. */
async function call(rig: SipRig) {
  const callee = await answeringSipp(rig, '1003', { scenario: 'uas-answer', pauseMs: 100 });
  await registerWithSipp(rig, '1002');
  const caller = await callWithSipp(rig, { from: '1002', to: '1003', lengthMs: 200 });
  const answered = await callee.done;
  assert.equal(caller.exitCode, 0, `the caller failed: ${explain(caller)}`);
  assert.equal(answered.exitCode, 0, `the callee failed: ${explain(answered)}`);
  return { caller, callee: answered };
}

describe('SIP rig: Kamailio registrar and proxy with digest authentication', () => {
  let rig: SipRig;

  before(async () => {
    rig = await startRig();
  });

  // stop() also kills any sipp a failed test left running, by process group.
  after(async () => {
    await rig.stop();
  });

  it('challenges a REGISTER with 401 and answers the right password with 200', async () => {
    assert.equal(await rig.registered('1001'), false);
    const result = await registerWithSipp(rig, '1001');
    assert.deepEqual(statusLines(result, 'received'), [
      'SIP/2.0 401 Unauthorized',
      'SIP/2.0 200 OK',
    ]);
    assert.equal(await rig.registered('1001'), true);
    assert.deepEqual(await rig.contacts('1001'), [
      `sip:1001@127.0.0.1:${result.localPort};transport=UDP`,
    ]);
  });

  it('answers a wrong password with 403 after the challenge', async () => {
    const result = await rig.sipp({
      scenario: 'register-forbidden',
      service: '1004',
      auth: { user: '1004', password: 'not-the-password' },
      keys: { expires: '300' },
    });
    assert.equal(result.exitCode, 0, explain(result));
    assert.deepEqual(statusLines(result, 'received'), [
      'SIP/2.0 401 Unauthorized',
      'SIP/2.0 403 Forbidden',
    ]);
    assert.equal(await rig.registered('1004'), false);
  });

  it('answers a REGISTER for a user it does not have with 404, without a challenge', async () => {
    const result = await rig.sipp({
      scenario: 'register',
      service: '2999',
      auth: { user: '2999', password: 'whatever' },
      keys: { expires: '300' },
      timeoutMs: 5_000,
    });
    assert.notEqual(result.exitCode, 0);
    assert.equal(statusLines(result, 'received')[0], 'SIP/2.0 404 Not Found');
  });

  it('routes a call between two sipp users along the Record-Route set', async () => {
    const { caller, callee } = await call(rig);
    assert.deepEqual(
      statusLines(caller, 'received').filter((line) => !line.includes(' 100 ')),
      [
        'SIP/2.0 407 Proxy Authentication Required',
        'SIP/2.0 180 Ringing',
        'SIP/2.0 200 OK',
        'SIP/2.0 200 OK',
      ],
    );
    const [invite] = requestsReceived(callee, 'INVITE');
    assert.ok(invite, 'the callee got no INVITE');
    assert.match(invite.text, /^Record-Route: <sip:127\.0\.0\.1:\d+;lr[^>]*>$/m);
    // The caller's ACK and BYE name the proxy in a Route header, and the callee got both.
    for (const method of ['ACK', 'BYE']) {
      const [sent] = requestsSent(caller, method).slice(-1);
      assert.match(sent?.text ?? '', /^Route: <sip:127\.0\.0\.1:\d+;lr/m, `${method} had no Route`);
      assert.equal(requestsReceived(callee, method).length, 1, `the callee got no ${method}`);
    }
    // No rtpengine on this rig: the SDP reaches the callee as the caller wrote it.
    const [offer] = requestsSent(caller, 'INVITE').slice(-1);
    assert.equal(audioPort(invite.body), audioPort(offer?.body ?? ''));
  });

  it('answers a call to a known user who is not registered with 480', async () => {
    const result = await callWithSipp(rig, { from: '1002', to: '1005', timeoutMs: 5_000 });
    assert.notEqual(result.exitCode, 0);
    assert.ok(statusLines(result, 'received').includes('SIP/2.0 480 Temporarily Unavailable'));
  });

  it('passes a 486 from a busy callee back to the caller', async () => {
    const callee = await answeringSipp(rig, '1003', { scenario: 'uas-busy', pauseMs: 50 });
    const caller = await callWithSipp(rig, { from: '1002', to: '1003', timeoutMs: 5_000 });
    assert.notEqual(caller.exitCode, 0);
    assert.ok(statusLines(caller, 'received').includes('SIP/2.0 486 Busy Here'), explain(caller));
    const refused = await callee.done;
    assert.equal(refused.exitCode, 0, explain(refused));
  });

  it('registers again after Kamailio restarts on the same ports, its table empty', async () => {
    const { udpPort, wsPort } = rig;
    const credentials = { user: '1005', password: rig.password('1005') };
    const before = await WsSipClient.connect(rig.wsUrl);
    try {
      assert.equal((await registerOverWs(before, rig.domain, credentials)).status, 200);
      await registerWithSipp(rig, '1001');
      await rig.restart();
      // The WebSocket went down with Kamailio, as a softphone's would.
      await before.closed;
    } finally {
      await before.close();
    }
    assert.equal(rig.udpPort, udpPort);
    assert.equal(rig.wsPort, wsPort);
    assert.equal(await rig.registered('1001'), false);
    assert.equal(await rig.registered('1005'), false);
    await registerWithSipp(rig, '1001');
    assert.equal(await rig.registered('1001'), true);
    const after = await WsSipClient.connect(rig.wsUrl);
    try {
      assert.equal((await registerOverWs(after, rig.domain, credentials)).status, 200);
      assert.equal(await rig.registered('1005'), true);
    } finally {
      await after.close();
    }
  });

  it('closes its ports when killed, and comes back on restart()', async () => {
    await rig.kill();
    assert.equal(portBound('udp', rig.udpPort), false);
    assert.equal(portBound('tcp', rig.wsPort), false);
    await rig.restart();
    await registerWithSipp(rig, '1002');
    assert.equal(await rig.registered('1002'), true);
  });
});

describe('SIP rig: a WebSocket user agent, as JsSIP connects', () => {
  let rig: SipRig;
  let client: WsSipClient | undefined;
  const credentials = () => ({ user: '1004', password: rig.password('1004') });

  before(async () => {
    rig = await startRig();
  });

  after(async () => {
    await client?.close();
    await rig.stop();
  });

  it('takes the WebSocket upgrade with the "sip" subprotocol and registers with digest auth', async () => {
    client = await WsSipClient.connect(rig.wsUrl);
    assert.equal(client.protocol, 'sip');
    const wrong = await registerOverWs(client, rig.domain, { user: '1004', password: 'nope' });
    assert.equal(wrong.status, 403);
    const ok = await registerOverWs(client, rig.domain, credentials());
    assert.equal(ok.status, 200, ok.raw);
    assert.deepEqual(await rig.contacts('1004'), [`sip:1004@${client.host};transport=ws`]);
  });

  it('routes a call from sipp down the WebSocket connection, ACK and BYE included', async () => {
    assert.ok(client);
    await registerWithSipp(rig, '1002');
    const caller = callWithSipp(rig, {
      from: '1002',
      to: '1004',
      scenario: 'uac-call-webrtc',
      lengthMs: 100,
    });
    const { invite, ack, bye } = await answerOverWs(client, '1004');
    assert.equal(invite.startLine, `INVITE sip:1004@${client.host};transport=ws SIP/2.0`);
    for (const request of [ack, bye]) assert.match(request.startLine, /transport=ws/);
    assertWebRtc(invite.body);
    const result = await caller;
    assert.equal(result.exitCode, 0, explain(result));
  });

  /** The WebSocket user 1004 calls a sipp 1003 (WebRTC-shaped SDP, as no rtpengine). */
  const callSipp = async (options: CallOptions = {}) => {
    assert.ok(client);
    const callee = await answeringSipp(rig, '1003', { scenario: 'uas-answer-webrtc' });
    const finals = await callOverWs(client, rig.domain, credentials(), '1003', options);
    const answered = await callee.done;
    assert.equal(answered.exitCode, 0, explain(answered));
    return { finals, answered };
  };

  it('routes a call from the WebSocket user to a sipp user and back', async () => {
    const { finals, answered } = await callSipp();
    assert.deepEqual(
      finals.map((reply) => reply.status),
      [407, 200, 200],
    );
    assertWebRtc(finals[1]?.body ?? '');
    assert.equal(requestsReceived(answered, 'BYE').length, 1);
  });

  it('answers a hold re-INVITE (sendonly) with recvonly, as uas-answer promises', async () => {
    const { finals, answered } = await callSipp({ reinvite: 'sendonly', lengthMs: 100 });
    assert.deepEqual(
      finals.map((reply) => reply.status),
      [407, 200, 200, 200],
    );
    assert.equal(sdpDirection(finals[2]?.body ?? ''), 'recvonly');
    const [, reinvite] = requestsReceived(answered, 'INVITE');
    assert.equal(sdpDirection(reinvite?.body ?? ''), 'sendonly');
  });
});

describe('SIP rig with rtpengine in the media path', () => {
  let rig: SipRig;

  before(async () => {
    rig = await startRig({ rtpengine: true });
  });

  after(async () => {
    await rig.stop();
  });

  it('has Kamailio talking to rtpengine over the ng control socket', async () => {
    assert.match(await kamcmd(rig.dir, ['rtpengine.ping', 'all']), /status: success/);
  });

  it('puts rtpengine between the two ends of a call, both ways', async () => {
    const { caller, callee } = await call(rig);
    const [offerSent] = requestsSent(caller, 'INVITE').slice(-1);
    const [offerReceived] = requestsReceived(callee, 'INVITE');
    const answerSent = callee.messages.find(
      (message) => message.direction === 'sent' && message.startLine === 'SIP/2.0 200 OK',
    );
    const answerReceived = caller.messages.find(
      (message) =>
        message.direction === 'received' &&
        message.startLine === 'SIP/2.0 200 OK' &&
        message.body !== '',
    );
    const ports = [offerSent, offerReceived, answerSent, answerReceived].map((message) =>
      audioPort(message?.body ?? ''),
    );
    assert.ok(
      ports.every((port) => port !== undefined),
      `an SDP has no audio: ${ports.join()}`,
    );
    assert.notEqual(ports[1], ports[0], 'the offer reached the callee unchanged');
    assert.notEqual(ports[3], ports[2], 'the answer reached the caller unchanged');
    assert.match(offerReceived?.body ?? '', /^m=audio \d+ RTP\/AVP /m);
    assert.equal(sdpDirection(offerReceived?.body ?? ''), 'sendrecv');
  });
  it('turns a plain offer from sipp into WebRTC for a WebSocket user, and the answer back', async () => {
    const client = await WsSipClient.connect(rig.wsUrl);
    try {
      const registration = await registerOverWs(client, rig.domain, {
        user: '1004',
        password: rig.password('1004'),
      });
      assert.equal(registration.status, 200);
      await registerWithSipp(rig, '1002');
      const calling = callWithSipp(rig, { from: '1002', to: '1004', lengthMs: 100 });
      const { invite } = await answerOverWs(client, '1004');
      const caller = await calling;
      assert.equal(caller.exitCode, 0, explain(caller));
      assertWebRtc(invite.body);
      const answer = caller.messages.find(
        (message) => message.startLine === 'SIP/2.0 200 OK' && message.body !== '',
      );
      assertPlain(answer?.body ?? '');
    } finally {
      await client.close();
    }
  });

  it('turns a WebRTC offer from a WebSocket user into plain RTP/AVP for sipp, and back', async () => {
    const client = await WsSipClient.connect(rig.wsUrl);
    try {
      const callee = await answeringSipp(rig, '1003', { scenario: 'uas-answer', pauseMs: 100 });
      const credentials = { user: '1004', password: rig.password('1004') };
      const finals = await callOverWs(client, rig.domain, credentials, '1003');
      assert.deepEqual(
        finals.map((reply) => reply.status),
        [407, 200, 200],
      );
      const answered = await callee.done;
      assert.equal(answered.exitCode, 0, explain(answered));
      assertPlain(requestsReceived(answered, 'INVITE')[0]?.body ?? '');
      assertWebRtc(finals[1]?.body ?? '');
    } finally {
      await client.close();
    }
  });
});
