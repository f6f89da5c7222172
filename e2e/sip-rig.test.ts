import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { portBound } from './sip/process.ts';
import { answeringSipp, kamcmd, registerWithSipp, startRig, type SipRig } from './sip/rig.ts';
import { audioPort, sdpDirection, type RunningSipp, type SippResult } from './sip/sipp.ts';

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

/** sipp 1002 calls sipp 1003 through the rig; both ends' traces. */
async function call(rig: SipRig, running: RunningSipp[]) {
  const callee = await answeringSipp(rig, '1003', { scenario: 'uas-answer', pauseMs: 100 });
  running.push(callee);
  await registerWithSipp(rig, '1002');
  const caller = await rig.sipp({
    scenario: 'uac-call',
    service: '1003',
    auth: { user: '1002', password: rig.password('1002') },
    keys: { caller: '1002' },
    pauseMs: 200,
  });
  const answered = await callee.done;
  assert.equal(caller.exitCode, 0, `the caller failed: ${explain(caller)}`);
  assert.equal(answered.exitCode, 0, `the callee failed: ${explain(answered)}`);
  return { caller, callee: answered };
}

describe('SIP rig: Kamailio registrar and proxy with digest authentication', () => {
  let rig: SipRig;
  const running: RunningSipp[] = [];

  before(async () => {
    rig = await startRig();
  });

  after(async () => {
    for (const sipp of running) await sipp.kill();
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
    const { caller, callee } = await call(rig, running);
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
    const result = await rig.sipp({
      scenario: 'uac-call',
      service: '1005',
      auth: { user: '1002', password: rig.password('1002') },
      keys: { caller: '1002' },
      timeoutMs: 5_000,
    });
    assert.notEqual(result.exitCode, 0);
    assert.ok(statusLines(result, 'received').includes('SIP/2.0 480 Temporarily Unavailable'));
  });

  it('registers again after Kamailio restarts on the same ports, its table empty', async () => {
    const { udpPort, wsPort } = rig;
    await registerWithSipp(rig, '1001');
    assert.equal(await rig.registered('1001'), true);
    await rig.restart();
    assert.equal(rig.udpPort, udpPort);
    assert.equal(rig.wsPort, wsPort);
    assert.equal(await rig.registered('1001'), false);
    await registerWithSipp(rig, '1001');
    assert.equal(await rig.registered('1001'), true);
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

describe('SIP rig with rtpengine in the media path', () => {
  let rig: SipRig;
  const running: RunningSipp[] = [];

  before(async () => {
    rig = await startRig({ rtpengine: true });
  });

  after(async () => {
    for (const sipp of running) await sipp.kill();
    await rig.stop();
  });

  it('has Kamailio talking to rtpengine over the ng control socket', async () => {
    assert.match(await kamcmd(rig.dir, ['rtpengine.ping', 'all']), /status: success/);
  });

  it('puts rtpengine between the two ends of a call, both ways', async () => {
    const { caller, callee } = await call(rig, running);
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
});
