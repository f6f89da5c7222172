import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { BridgeProbe } from './support/bridge-probe.ts';
import { REPO_ROOT } from './support/serve.ts';
import { waitForInboundAudio } from './sip/audio-energy.ts';
import {
  button,
  callerGot,
  callOn,
  dial,
  historyRow,
  ranThrough,
  received,
  settledReinvite,
  startPhone,
  waitForLine,
  type Phone,
} from './sip/comms-manager.ts';
import { runInOwnNetworkNamespace } from './sip/netns.ts';
import { phoneRig } from './sip/phone-rig.ts';
import { isRequest, isResponseTo } from './sip/page-wire.ts';
import { waitForAudioBothWays } from './sip/peer-stats.ts';
import { answeringSipp, callWithSipp, type SipRig } from './sip/rig.ts';
import { sdpDirection } from './sip/sipp.ts';

// WebRTC against rtpengine on loopback: in a network namespace of its own (DESIGN.md).
await runInOwnNetworkNamespace(import.meta.filename);

/**
 * SIP calls end to end: the real core, the Comms Manager in Chromium hosting the JsSIP
 * engine, Kamailio with rtpengine bridging the browser's WebRTC to sipp's plain RTP/AVP.
 * Each step waits on what the page shows (the line card's state, the history row), on
 * what it sends (its SIP frames, its reports to the core) or on sipp's end.
 */

const USER = '1001';
/** A sipp that answers, refuses or hangs up. */
const FAR_END = '1003';
/** A sipp that calls. */
const CALLER = '1004';
/** The second Comms Manager, for the media test. */
const OTHER = '1002';

describe('SIP calls through Kamailio and rtpengine', () => {
  const ready = phoneRig({ user: USER });
  let rig: SipRig;
  let browser: Browser;
  let phone: Phone;
  let page: Page;

  before(() => {
    ({ rig, browser, phone } = ready());
    page = phone.page;
  });

  it('dials from the Number field: dialing, established once the far end answers, idle and answered in the history after Hang up', async () => {
    const farEnd = await answeringSipp(rig, FAR_END, { scenario: 'uas-answer', pauseMs: 1_000 });
    await dial(page, FAR_END);
    // The far end rings for a second before its 200: long enough to see Dialing.
    await waitForLine(page, 1, 'dialing');
    await waitForLine(page, 1, 'established');
    // The README's picture of a SIP call: refreshed with UPDATE_SCREENSHOTS=1.
    if (process.env['UPDATE_SCREENSHOTS']) {
      await page.screenshot({ path: join(REPO_ROOT, 'docs', 'sip-call.png') });
    }
    const call = await callOn(phone, 1);
    assert.equal(call.direction, 'outbound');
    assert.equal(call.number, FAR_END);
    await button(page, 'Hang up line 1').click();
    await waitForLine(page, 1, 'idle');
    const ended = await ranThrough(farEnd.done);
    assert.equal(received(ended, 'BYE').length, 1, 'the far end got no BYE');
    const row = await historyRow(page, call);
    assert.equal(row.outcome, 'answered');
    assert.deepEqual(
      [row.cells[0], row.cells[1], row.cells[3], row.cells[4]],
      ['Outgoing', FAR_END, 'Answered', 'hung up here'],
    );
  });

  it('frees the line when the far end hangs up', async () => {
    // uas-hangup answers at once and sends its own BYE after -d ms of talk.
    const farEnd = await answeringSipp(rig, FAR_END, { scenario: 'uas-hangup', pauseMs: 1_500 });
    await dial(page, FAR_END);
    await waitForLine(page, 1, 'established');
    const call = await callOn(phone, 1);
    const bye = phone.sip.next(
      (frame) => frame.direction === 'received' && isRequest('BYE')(frame),
      'a BYE from the far end',
    );
    await waitForLine(page, 1, 'idle');
    await bye;
    // sipp's run ends with the page's 200 for its BYE.
    await ranThrough(farEnd.done);
    const row = await historyRow(page, call);
    assert.deepEqual([row.outcome, row.cells[4]], ['answered', 'hung up by the far end']);
  });

  it('ends a call to a busy far end and says why: 486 Busy Here', async () => {
    const farEnd = await answeringSipp(rig, FAR_END, { scenario: 'uas-busy', pauseMs: 500 });
    const from = phone.bridge.mark();
    await dial(page, FAR_END);
    await waitForLine(page, 1, 'dialing');
    const call = await callOn(phone, 1);
    await waitForLine(page, 1, 'idle');
    await ranThrough(farEnd.done);
    // The engine's reports to the core: the Terminated event's reason and the log line.
    const reports = phone.bridge
      .frames()
      .slice(from)
      .filter((frame) => frame.value.name === 'engineReport')
      .map((frame) => JSON.stringify(frame.value.request));
    assert.ok(
      reports.some((report) => /"kind":"Terminated".*"reason":"rejected"/.test(report)),
      reports.join('\n'),
    );
    assert.ok(
      reports.some((report) => report.includes(`"summary":"486 Busy Here from ${FAR_END}"`)),
      reports.join('\n'),
    );
    const row = await historyRow(page, call);
    assert.equal(row.outcome, 'unanswered');
    assert.deepEqual([row.cells[0], row.cells[4]], ['Outgoing', '486 Busy Here']);
    // The Dialer says so too, until the next call.
    await page
      .getByRole('status')
      .filter({ hasText: `Call to ${FAR_END} ended: 486 Busy Here` })
      .waitFor();
  });

  it('alerts an incoming call with the caller number; Answer establishes it, the caller BYE ends it', async () => {
    const calling = callWithSipp(rig, { from: CALLER, to: USER, lengthMs: 1_500 });
    const alert = page.getByRole('alert', { name: 'Incoming call' });
    await alert.filter({ hasText: CALLER }).waitFor({ timeout: 10_000 });
    await waitForLine(page, 1, 'ringing');
    const call = await callOn(phone, 1);
    assert.equal(call.number, CALLER);
    await alert.getByRole('button', { name: 'Answer line 1', exact: true }).click();
    await waitForLine(page, 1, 'established');
    await waitForLine(page, 1, 'idle');
    await callerGot(calling, 'SIP/2.0 200 OK');
    const row = await historyRow(page, call);
    assert.equal(row.outcome, 'answered');
    assert.deepEqual([row.cells[0], row.cells[1]], ['Incoming', CALLER]);
  });

  it('refuses an incoming call with 486 when Reject is pressed', async () => {
    const calling = callWithSipp(rig, { from: CALLER, to: USER, scenario: 'uac-refused' });
    await waitForLine(page, 1, 'ringing');
    const call = await callOn(phone, 1);
    await page
      .getByRole('alert', { name: 'Incoming call' })
      .getByRole('button', { name: 'Reject line 1', exact: true })
      .click();
    await waitForLine(page, 1, 'idle');
    await callerGot(calling, 'SIP/2.0 486 Busy Here');
    const row = await historyRow(page, call);
    assert.deepEqual([row.outcome, row.cells[4]], ['missed', 'refused here (486 Busy Here)']);
  });

  it('records an incoming call the caller gave up on as missed', async () => {
    // It rings for 1.5 s, then the caller cancels.
    const calling = callWithSipp(rig, {
      from: CALLER,
      to: USER,
      scenario: 'uac-cancel',
      lengthMs: 1_500,
    });
    await waitForLine(page, 1, 'ringing');
    const call = await callOn(phone, 1);
    await waitForLine(page, 1, 'idle');
    await callerGot(calling, 'SIP/2.0 487 Request Terminated');
    const row = await historyRow(page, call);
    assert.equal(row.outcome, 'missed');
    assert.deepEqual(
      [row.cells[0], row.cells[1], row.cells[3], row.cells[4]],
      ['Incoming', CALLER, 'Missed', 'the caller hung up first'],
    );
  });

  it('holds with a sendonly or inactive re-INVITE and resumes with sendrecv', async () => {
    const farEnd = await answeringSipp(rig, FAR_END, { scenario: 'uas-answer', pauseMs: 0 });
    await dial(page, FAR_END);
    await waitForLine(page, 1, 'established');
    let mark = phone.sip.mark();
    await button(page, 'Hold line 1').click();
    await waitForLine(page, 1, 'held');
    const hold = await settledReinvite(phone, mark);
    mark = phone.sip.mark();
    await button(page, 'Resume line 1').click();
    await waitForLine(page, 1, 'established');
    const resume = await settledReinvite(phone, mark);
    assert.match(sdpDirection(hold.body), /^(sendonly|inactive)$/);
    assert.equal(sdpDirection(resume.body), 'sendrecv');
    await button(page, 'Hang up line 1').click();
    await waitForLine(page, 1, 'idle');
    const ended = await ranThrough(farEnd.done);
    // What reached the far end through rtpengine: the first offer, hold, resume.
    const directions = received(ended, 'INVITE').map((invite) => sdpDirection(invite.body));
    assert.equal(directions.length, 3, directions.join());
    assert.equal(directions[0], 'sendrecv');
    assert.match(directions[1] ?? '', /^(sendonly|inactive)$/);
    assert.equal(directions[2], 'sendrecv');
  });

  it('sends keypad digits into the call as SIP INFO', async () => {
    const farEnd = await answeringSipp(rig, FAR_END, { scenario: 'uas-answer', pauseMs: 0 });
    await dial(page, FAR_END);
    await waitForLine(page, 1, 'established');
    const keypad = page.getByRole('group', { name: 'Keypad tones for line 1' });
    for (const digit of ['5', '#']) {
      const mark = phone.sip.mark();
      await keypad.getByRole('button', { name: digit, exact: true }).click();
      const info = await phone.sip.next(
        (frame) => frame.direction === 'sent' && isRequest('INFO')(frame),
        `an INFO for ${digit}`,
        { after: mark },
      );
      const cseq = info.value.header('cseq');
      await phone.sip.next(
        (frame) =>
          frame.direction === 'received' &&
          isResponseTo('INFO', 200)(frame) &&
          frame.value.header('cseq') === cseq,
        `the 200 for the INFO of ${digit}`,
        { after: mark },
      );
    }
    // The Number field took no digit: the keypad spoke to the call.
    assert.equal(await page.getByLabel('Number', { exact: true }).inputValue(), '');
    await button(page, 'Hang up line 1').click();
    await waitForLine(page, 1, 'idle');
    const ended = await ranThrough(farEnd.done);
    const infos = received(ended, 'INFO');
    assert.deepEqual(
      infos.map((info) => /^Signal=(.)/m.exec(info.body)?.[1]),
      ['5', '#'],
    );
    for (const info of infos) assert.match(info.text, /^Content-Type: application\/dtmf-relay/m);
  });

  it('carries out a MakeCall sent through the bridge by another client', async () => {
    const farEnd = await answeringSipp(rig, FAR_END, { scenario: 'uas-answer', pauseMs: 0 });
    const other = await BridgeProbe.connect(phone.core);
    try {
      const mark = phone.sip.mark();
      const result = await other.invoke('command', { kind: 'MakeCall', number: FAR_END });
      assert.ok(result.ok, JSON.stringify(result));
      // The INVITE leaves from the page that hosts the engine.
      const invite = await phone.sip.next(
        (frame) => frame.direction === 'sent' && isRequest('INVITE')(frame),
        'the INVITE from the hosting page',
        { after: mark },
      );
      assert.match(invite.value.startLine, new RegExp(`^INVITE sip:${FAR_END}@${rig.domain} `));
      await waitForLine(page, 1, 'established');
      const drop = await other.invoke('command', { kind: 'Drop', line: 1 });
      assert.ok(drop.ok, JSON.stringify(drop));
      await waitForLine(page, 1, 'idle');
    } finally {
      other.close();
    }
    await ranThrough(farEnd.done);
  });

  it('carries audio both ways between two Comms Manager pages', async () => {
    const callee = await startPhone(rig, browser, OTHER);
    try {
      await dial(page, OTHER);
      const alert = callee.page.getByRole('alert', { name: 'Incoming call' });
      await alert.filter({ hasText: USER }).waitFor({ timeout: 10_000 });
      await alert.getByRole('button', { name: 'Answer line 1', exact: true }).click();
      await waitForLine(page, 1, 'established');
      await waitForLine(callee.page, 1, 'established');
      // Fake-device audio, 50 packets a second: a second's worth each way, on both pages.
      const [caller, answerer] = await Promise.all([
        waitForAudioBothWays(page, 50),
        waitForAudioBothWays(callee.page, 50),
      ]);
      assert.equal(caller.connectionState, 'connected');
      assert.equal(answerer.connectionState, 'connected');
      const call = await callOn(phone, 1);
      await button(page, 'Hang up line 1').click();
      await waitForLine(page, 1, 'idle');
      await waitForLine(callee.page, 1, 'idle');
      assert.equal((await historyRow(page, call)).outcome, 'answered');
    } finally {
      await callee.close();
    }
  });

  it('plays the far end early media while dialing: ringing on 180, its announcement heard on 183, then 486 Busy Here', async () => {
    // uas-early-media rings for a second, plays g711a.pcap from its 183 for -d ms, then 486.
    const farEnd = await answeringSipp(rig, FAR_END, {
      scenario: 'uas-early-media',
      pauseMs: 5_000,
    });
    await dial(page, FAR_END);
    const dialing = page.locator('[data-line="1"][data-state="dialing"]');
    await dialing.getByText('Far end ringing', { exact: true }).waitFor({ timeout: 10_000 });
    const call = await callOn(phone, 1);
    await dialing
      .getByText('Far end playing a message or tone', { exact: true })
      .waitFor({ timeout: 10_000 });
    // Heard: the announcement reaches the page's peer connection with sound in it ...
    const heard = await waitForInboundAudio(page, { loud: true, packets: 25 }, 5_000);
    assert.ok(heard.packets >= 25 && heard.power > 0, JSON.stringify(heard));
    // ... and the call's own audio element plays it: not paused, its clock moving.
    const audio = page.locator(`audio[data-sip-call="${call.ref ?? ''}"]`);
    const startedAt = await audio.evaluate((element: HTMLAudioElement) => element.currentTime);
    await audio.evaluate(
      (element: HTMLAudioElement, from: number) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => {
            reject(new Error(`not playing: paused ${element.paused}, at ${element.currentTime}`));
          }, 3_000);
          const check = () => {
            if (element.paused || element.currentTime <= from) return;
            clearTimeout(timer);
            element.removeEventListener('timeupdate', check);
            resolve();
          };
          element.addEventListener('timeupdate', check);
          check();
        }),
      startedAt,
    );
    // All of it before the far end answered anything final: the line was dialing throughout.
    assert.equal(
      await dialing.count(),
      1,
      'the line left dialing before the early media was heard',
    );
    await waitForLine(page, 1, 'idle');
    const ended = await ranThrough(farEnd.done);
    assert.equal(received(ended, 'ACK').length, 1, 'the far end got no ACK for its 486');
    const row = await historyRow(page, call);
    assert.deepEqual(
      [row.outcome, row.cells[0], row.cells[4]],
      ['unanswered', 'Outgoing', '486 Busy Here'],
    );
  });
});
