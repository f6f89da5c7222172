import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Call } from '../shared/model/line-table.ts';
import { launchChromium } from './support/browser.ts';
import {
  button,
  callerGot,
  callOn,
  dial,
  historyRow,
  ranThrough,
  received,
  startPhone,
  waitForLine,
  type Phone,
} from './sip/comms-manager.ts';
import { sipAccountSettings } from './sip/account.ts';
import { waitForInboundAudio } from './sip/audio-energy.ts';
import { DtmfLog } from './sip/dtmf-log.ts';
import { runInOwnNetworkNamespace } from './sip/netns.ts';
import { isRequest, type Frame, type BridgeRequest } from './sip/page-wire.ts';
import { waitForAudioBothWays } from './sip/peer-stats.ts';
import { answeringSipp, callWithSipp, startRig, type SipRig } from './sip/rig.ts';
import { watchRingTone, waitForRingTone } from './sip/ring-tone.ts';
import { actAsTransferee, parseReferTo } from './sip/transferee.ts';
import { answerOverWs, registerOverWs, WsSipClient } from './sip/ws-sip-client.ts';

// WebRTC against rtpengine on loopback: in a network namespace of its own (DESIGN.md).
await runInOwnNetworkNamespace(import.meta.filename);

/**
 * The call controls of a SIP call end to end (issue 7): blind and attended transfer, RFC
 * 4733 keypad tones, Mute and Silence, pressed by their accessible names in the Comms
 * Manager and proven where the far end or the media relay sees them: sipp's trace and a
 * WebSocket SIP phone's messages for the REFERs, rtpengine's DTMF log for the tones, the
 * far page's received audio for Mute, the ring tone's audio element for Silence.
 */

const USER = '1001';
/** A second Comms Manager: the far end wherever media must really flow. */
const OTHER = '1002';
/** The far end that is transferred: sipp, or a WebSocket SIP phone. */
const FAR_END = '1003';
/** Where a transfer sends it. */
const TARGET = '1004';
/** A sipp that calls in. */
const CALLER = '1005';

const lineCard = (page: Page, line: number) => page.locator(`li[data-line="${line}"]`);

const reportsOf = (phone: Phone, from: number) =>
  phone.bridge
    .frames()
    .slice(from)
    .filter((frame) => frame.value.name === 'engineReport')
    .map((frame) => JSON.stringify(frame.value.request));

/** The state of a registration report the page sent to the core, or null for any other frame. */
function registrationState(frame: Frame<BridgeRequest>): string | null {
  const { name, request } = frame.value;
  if (name !== 'engineReport' || typeof request !== 'object' || request === null) return null;
  if (!('registration' in request)) return null;
  const { registration } = request;
  if (typeof registration !== 'object' || registration === null) return null;
  return 'state' in registration && typeof registration.state === 'string'
    ? registration.state
    : null;
}

/**
 * Saves the account again with the default keypad tones (RFC 4733; startPhone picks SIP
 * INFO). The core restarts the engine with a new account: it has taken it once it reports
 * registered again.
 */
async function useDefaultDtmf(phone: Phone, rig: SipRig, user: string): Promise<void> {
  const mark = phone.bridge.mark();
  const saved = await phone.probe.invoke(
    'saveSettings',
    sipAccountSettings(rig, user, rig.password(user)),
  );
  assert.ok(saved.ok, JSON.stringify(saved));
  const registered = (frame: Frame<BridgeRequest>) => registrationState(frame) === 'registered';
  await phone.bridge.next(registered, 'registered again', { after: mark, timeoutMs: 15_000 });
}

/** A WebSocket SIP phone registered as `user` on the rig, in place of any earlier contact. */
async function wsPhone(rig: SipRig, user: string) {
  const client = await WsSipClient.connect(rig.wsUrl);
  const credentials = { user, password: rig.password(user) };
  await rig.unregister(user);
  const registered = await registerOverWs(client, rig.domain, credentials);
  assert.equal(registered.status, 200, registered.startLine);
  return { client, credentials };
}

const tagOf = (header: string | undefined) => /;tag=([^;>\s]+)/.exec(header ?? '')?.[1];

/** Each call has its history row, answered: a transferred call was a call that happened. */
async function answeredInHistory(page: Page, ...calls: readonly Call[]): Promise<void> {
  for (const call of calls) assert.equal((await historyRow(page, call)).outcome, 'answered');
}

/** Opens the Transfer dialog of `line`, with `target` typed into it if given. */
async function transferDialog(page: Page, line: number, target?: string): Promise<Locator> {
  await button(page, `Transfer line ${line}`).click();
  const dialog = page.getByRole('dialog', { name: 'Transfer to' });
  await dialog.waitFor();
  if (target !== undefined) await dialog.getByLabel('Number or extension').fill(target);
  return dialog;
}

/** Transfer, then Call first: `target` is called on line 2 while `line` waits on hold. */
async function callFirst(page: Page, line: number, target: string): Promise<void> {
  const dialog = await transferDialog(page, line, target);
  await dialog.getByRole('button', { name: 'Call first', exact: true }).click();
  await waitForLine(page, line, 'held');
  await waitForLine(page, 2, 'established');
}

/** Transfer on `line`, then Complete transfer to `other`: both lines are free after. */
async function completeTransfer(page: Page, line: number, other: string): Promise<void> {
  const dialog = await transferDialog(page, line);
  await dialog.getByRole('button', { name: `Complete transfer to ${other}`, exact: true }).click();
  await waitForLine(page, 1, 'idle');
  await waitForLine(page, 2, 'idle');
}

/** `from` dials `callee`, whose page (`to`) answers the alert: both calls are up on line 1. */
async function callAndAnswer(from: Page, to: Phone, callee: string, caller: string) {
  await dial(from, callee);
  const alert = to.page.getByRole('alert', { name: 'Incoming call' });
  await alert.filter({ hasText: caller }).waitFor({ timeout: 10_000 });
  await alert.getByRole('button', { name: 'Answer line 1', exact: true }).click();
  await waitForLine(from, 1, 'established');
  await waitForLine(to.page, 1, 'established');
}

describe('SIP call controls through Kamailio and rtpengine', () => {
  let rig: SipRig;
  let browser: Browser;
  let phone: Phone;
  let other: Phone;
  let page: Page;
  let dtmf: DtmfLog;
  /** What `before` started, last first: all of it is ended even if `before` failed half-way. */
  const started: (() => Promise<unknown>)[] = [];

  before(async () => {
    dtmf = await DtmfLog.open();
    started.unshift(() => dtmf.close());
    rig = await startRig({ rtpengine: true, dtmfLogPort: dtmf.port });
    started.unshift(() => rig.stop());
    browser = await launchChromium();
    started.unshift(() => browser.close());
    phone = await startPhone(rig, browser, USER);
    started.unshift(() => phone.close());
    page = phone.page;
    await useDefaultDtmf(phone, rig, USER);
    other = await startPhone(rig, browser, OTHER);
    started.unshift(() => other.close());
  });

  // A test that failed half-way must not leave its calls to the next one.
  afterEach(async () => {
    for (const each of [phone, other]) {
      const { lines } = (await each.probe.snapshot()).table;
      for (const { line, call } of lines) {
        if (call === null) continue;
        await each.probe.invoke('command', { kind: 'Drop', line });
        await waitForLine(each.page, line, 'idle');
      }
    }
  });

  after(async () => {
    for (const stop of started) await stop();
  });

  it('blind transfer: Transfer now REFERs the far end to the number, and hangs up once the far end reports the target answered', async () => {
    const farEnd = await answeringSipp(rig, FAR_END, { scenario: 'xfer-refer-accept' });
    await dial(page, FAR_END);
    await waitForLine(page, 1, 'established');
    const call = await callOn(phone, 1);
    const mark = phone.sip.mark();
    const reports = phone.bridge.mark();
    const dialog = await transferDialog(page, 1, TARGET);
    await dialog.getByRole('button', { name: 'Transfer now', exact: true }).click();
    const refer = await phone.sip.next(
      (frame) => frame.direction === 'sent' && isRequest('REFER')(frame),
      'the REFER',
      { after: mark },
    );
    assert.equal(refer.value.header('refer-to'), `<sip:${TARGET}@${rig.domain}>`);
    // The far end's NOTIFY 200 is what ends our leg: a BYE from the page, then idle.
    await phone.sip.next(
      (frame) => frame.direction === 'received' && isRequest('NOTIFY')(frame),
      'the NOTIFY',
      { after: mark },
    );
    await phone.sip.next(
      (frame) => frame.direction === 'sent' && isRequest('BYE')(frame),
      'the BYE after the transfer',
      { after: mark },
    );
    await waitForLine(page, 1, 'idle');
    const ended = await ranThrough(farEnd.done);
    // What reached the far end through Kamailio: one REFER naming the target.
    const refers = received(ended, 'REFER');
    assert.equal(refers.length, 1);
    assert.match(
      refers[0]?.text ?? '',
      new RegExp(`^Refer-To: <sip:${TARGET}@${rig.domain}>$`, 'm'),
    );
    assert.match(
      refers[0]?.text ?? '',
      new RegExp(`^Referred-By: <sip:${USER}@${rig.domain}>$`, 'm'),
    );
    assert.equal(received(ended, 'BYE').length, 1);
    const said = reportsOf(phone, reports);
    assert.ok(
      said.some((report) => /"kind":"Terminated".*"reason":"transferred"/.test(report)),
      said.join('\n'),
    );
    await answeredInHistory(page, call);
  });

  it('attended transfer: Call first consults the target on line 2 with line 1 held; Complete transfer REFERs line 1 to it with Replaces, and the far end replaces the consultation', async () => {
    // Both far ends are WebSocket SIP phones, so the transferee can really call the
    // target with Replaces and the target can be seen receiving it.
    const { client: transferee, credentials: asTransferee } = await wsPhone(rig, FAR_END);
    const { client: target } = await wsPhone(rig, TARGET);
    try {
      const transferred = actAsTransferee(transferee, rig.domain, asTransferee);
      const consulted = answerOverWs(target, TARGET, 20_000);
      // Neither may reject unobserved while the page is being driven.
      transferred.catch(() => undefined);
      consulted.catch(() => undefined);

      await dial(page, FAR_END);
      await waitForLine(page, 1, 'established');
      const first = await callOn(phone, 1);
      const mark = phone.sip.mark();
      await callFirst(page, 1, TARGET);
      const consultation = await callOn(phone, 2);
      assert.equal(consultation.number, TARGET);
      const consultInvite = await phone.sip.next(
        (frame) =>
          frame.direction === 'sent' &&
          isRequest('INVITE')(frame) &&
          frame.value.startLine.startsWith(`INVITE sip:${TARGET}@`),
        'the consultation INVITE',
        { after: mark },
      );
      const consultCallId = consultInvite.value.header('call-id') ?? '';
      // The target's next INVITE is the transferee's, which replaces the consultation.
      const replaced = answerOverWs(target, TARGET, 20_000);
      replaced.catch(() => undefined);

      await completeTransfer(page, 1, TARGET);

      const run = await transferred;
      // The hold of "Call first" reached the transferee before the REFER.
      assert.match(run.reinvites[0]?.body ?? '', /^a=(sendonly|inactive)\r?$/m);
      const referTo = run.refer.header('refer-to') ?? '';
      const parsed = parseReferTo(referTo);
      assert.ok(parsed, referTo);
      assert.equal(parsed.uri, `sip:${TARGET}@${rig.domain}`);
      // Replaces names the consultation's dialog as the target knows it: its Call-ID, the
      // target's tag (To) and ours (From).
      const consult = await consulted;
      const toTag = tagOf(consult.ack.header('to'));
      const fromTag = tagOf(consult.invite.header('from'));
      assert.equal(consult.invite.header('call-id'), consultCallId);
      assert.equal(parsed.replaces, `${consultCallId};to-tag=${toTag};from-tag=${fromTag}`);
      assert.ok(
        referTo.includes(`?Replaces=${encodeURIComponent(consultCallId)}%3Bto-tag%3D`),
        referTo,
      );
      // The transferee's call to the target was answered and the page heard of it.
      assert.equal(run.targetFinals.at(-1)?.status, 200, run.targetFinals.at(-1)?.startLine);
      assert.equal(run.notifyAnswer.status, 200);
      const replacing = await replaced;
      assert.equal(replacing.invite.header('replaces'), parsed.replaces);
      assert.match(replacing.invite.header('from') ?? '', new RegExp(`sip:${FAR_END}@`));
      // The consultation ended with the page's BYE: the transferee took its place.
      assert.equal(consult.bye.header('call-id'), consultCallId);
      await answeredInHistory(page, first, consultation);
    } finally {
      await transferee.close();
      await target.close();
    }
  });

  it("attended transfer of an incoming call, completed on the consultation line: the consulted party is REFERred to the caller with Replaces naming the caller's dialog as the caller knows it", async () => {
    // The caller is a sipp calling as FAR_END; the INVITE with Replaces that the consulted
    // party sends to FAR_END reaches a WebSocket phone registered as FAR_END.
    const { client: callerPhone } = await wsPhone(rig, FAR_END);
    const { client: consulted, credentials: asConsulted } = await wsPhone(rig, TARGET);
    try {
      const transferred = actAsTransferee(consulted, rig.domain, asConsulted);
      const replacing = answerOverWs(callerPhone, FAR_END, 20_000);
      transferred.catch(() => undefined);
      replacing.catch(() => undefined);
      const mark = phone.sip.mark();
      const calling = rig.sipp({
        scenario: 'xfer-uac-until-bye',
        service: USER,
        auth: { user: FAR_END, password: rig.password(FAR_END) },
        keys: { caller: FAR_END },
        timeoutMs: 30_000,
      });
      const alert = page.getByRole('alert', { name: 'Incoming call' });
      await alert.filter({ hasText: FAR_END }).waitFor({ timeout: 10_000 });
      await alert.getByRole('button', { name: 'Answer line 1', exact: true }).click();
      await waitForLine(page, 1, 'established');
      const first = await callOn(phone, 1);
      // The caller's dialog: its INVITE's From tag is its own, the page's 200 holds ours.
      const invite = await phone.sip.next(
        (frame) => frame.direction === 'received' && isRequest('INVITE')(frame),
        "the caller's INVITE",
        { after: mark },
      );
      const callId = invite.value.header('call-id') ?? '';
      const answered = await phone.sip.next(
        (frame) =>
          frame.direction === 'sent' &&
          frame.value.status === 200 &&
          frame.value.header('call-id') === callId,
        "the page's 200 for the INVITE",
        { after: mark },
      );
      await callFirst(page, 1, TARGET);
      const consultation = await callOn(phone, 2);

      await completeTransfer(page, 2, FAR_END);

      const run = await transferred;
      const parsed = parseReferTo(run.refer.header('refer-to') ?? '');
      assert.ok(parsed, run.refer.header('refer-to'));
      assert.equal(parsed.uri, `sip:${FAR_END}@${rig.domain}`);
      // RFC 3891 section 3: the recipient compares to-tag with its local tag and from-tag
      // with its remote tag. The caller's local tag is its From tag; its remote one ours.
      const callerTag = tagOf(invite.value.header('from'));
      const pageTag = tagOf(answered.value.header('to'));
      assert.equal(parsed.replaces, `${callId};to-tag=${callerTag};from-tag=${pageTag}`);
      const replaced = await replacing;
      assert.equal(replaced.invite.header('replaces'), parsed.replaces);
      // The page hung up on the caller once the consulted party reported the caller answered.
      await ranThrough(calling);
      await answeredInHistory(page, first, consultation);
    } finally {
      await callerPhone.close();
      await consulted.close();
    }
  });

  it('sends keypad digits as RFC 4733 telephone-events in the media, not as SIP INFO', async () => {
    await callAndAnswer(page, other, OTHER, USER);
    // Tones ride on the RTP stream: it must be flowing first.
    await waitForAudioBothWays(page, 25);
    const callId = (await callOn(phone, 1)).ref ?? '';
    const from = dtmf.mark();
    const sipMark = phone.sip.mark();
    const keypad = page.getByRole('group', { name: 'Keypad tones for line 1' });
    for (const digit of ['1', '#', '5']) {
      const reported = phone.bridge.mark();
      await keypad.getByRole('button', { name: digit, exact: true }).click();
      await phone.bridge.next(
        (frame) =>
          frame.value.name === 'engineReport' &&
          JSON.stringify(frame.value.request).includes(`DTMF ${digit} to ${OTHER} (RFC 4733)`),
        `the engine's word for ${digit}`,
        { after: reported },
      );
    }
    const events = await dtmf.next(3, from);
    assert.deepEqual(
      events.map((event) => event.digit),
      ['1', '#', '5'],
    );
    for (const event of events) assert.equal(event.callId, callId);
    assert.equal(
      phone.sip.frames().slice(sipMark).filter(isRequest('INFO')).length,
      0,
      'a keypad tone went out as SIP INFO',
    );
    await button(page, 'Hang up line 1').click();
    await waitForLine(page, 1, 'idle');
    await waitForLine(other.page, 1, 'idle');
  });

  it('Mute silences what the far end hears while packets keep flowing, and pressing it again brings the audio back', async () => {
    await callAndAnswer(page, other, OTHER, USER);
    await Promise.all([waitForAudioBothWays(page, 25), waitForAudioBothWays(other.page, 25)]);
    const loudBefore = await waitForInboundAudio(other.page, { loud: true });
    const mute = button(page, 'Mute line 1');
    assert.equal(await mute.getAttribute('aria-pressed'), 'false');
    await mute.click();
    await lineCard(page, 1).getByText('Microphone muted').waitFor();
    assert.equal(await mute.getAttribute('aria-pressed'), 'true');
    const silent = await waitForInboundAudio(other.page, { loud: false });
    // The far end still sends to us, and its own line knows nothing of our mute.
    const stillHeard = await waitForInboundAudio(page, { loud: true });
    assert.equal(await button(other.page, 'Mute line 1').getAttribute('aria-pressed'), 'false');
    assert.equal(await lineCard(other.page, 1).getByText('Microphone muted').count(), 0);
    await waitForLine(other.page, 1, 'established');

    await mute.click();
    await lineCard(page, 1).getByText('Microphone muted').waitFor({ state: 'detached' });
    assert.equal(await mute.getAttribute('aria-pressed'), 'false');
    const loudAgain = await waitForInboundAudio(other.page, { loud: true });
    // Measured here: about 0.22 with the microphone on, exactly 0 muted.
    assert.ok(silent.power < loudBefore.power / 1000 && silent.power < loudAgain.power / 1000);
    assert.ok(stillHeard.power > 0);
    await button(page, 'Hang up line 1').click();
    await waitForLine(page, 1, 'idle');
    await waitForLine(other.page, 1, 'idle');
  });

  it('Silence stops the ring tone of an incoming call, which keeps alerting and can be answered', async () => {
    await watchRingTone(page);
    const calling = callWithSipp(rig, { from: CALLER, to: USER, lengthMs: 500 });
    await waitForLine(page, 1, 'ringing');
    await waitForRingTone(page, 'ring', true);
    const card = lineCard(page, 1);
    await card.getByRole('button', { name: 'Silence line 1', exact: true }).click();
    await card.getByText('Ringing silenced').waitFor();
    await waitForRingTone(page, 'ring', false);
    // Still alerting: the alert and Answer stay, Silence is gone.
    const alert = page.getByRole('alert', { name: 'Incoming call' });
    await alert.filter({ hasText: CALLER }).waitFor();
    await card.getByRole('button', { name: 'Answer line 1', exact: true }).waitFor();
    assert.equal(await card.getByRole('button', { name: 'Silence line 1' }).count(), 0);
    await waitForLine(page, 1, 'ringing');
    const call = await callOn(phone, 1);
    await alert.getByRole('button', { name: 'Answer line 1', exact: true }).click();
    await waitForLine(page, 1, 'established');
    await waitForLine(page, 1, 'idle');
    await callerGot(calling, 'SIP/2.0 200 OK');
    await answeredInHistory(page, call);
  });

  it('uses the microphone, speaker and ringer chosen in Settings for the next call and its ring', async () => {
    await watchRingTone(page);
    await page.getByRole('tab', { name: 'Settings' }).click();
    const settings = page.getByRole('tabpanel', { name: 'Settings' });
    const names = settings.getByRole('button', { name: 'Show device names' });
    if ((await names.count()) > 0) await names.click();
    const choices = {
      Microphone: 'Fake Audio Input 2',
      Speaker: 'Fake Audio Output 1',
      Ringer: 'Fake Audio Output 2',
    };
    for (const [field, device] of Object.entries(choices)) {
      await settings.getByLabel(field, { exact: true }).selectOption({ label: device });
    }
    await settings.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved' }).waitFor();
    await page.getByRole('tab', { name: 'History' }).click();
    const idOf = (label: string) =>
      page.evaluate(
        async (wanted) =>
          (await navigator.mediaDevices.enumerateDevices()).find((d) => d.label === wanted)
            ?.deviceId ?? null,
        label,
      );

    const calling = callWithSipp(rig, { from: CALLER, to: USER, lengthMs: 1_500 });
    await waitForLine(page, 1, 'ringing');
    await waitForRingTone(page, 'ring', true);
    const ringerSink = await page.evaluate(() => {
      const played = (window as unknown as Record<string, Set<HTMLMediaElement> | undefined>)[
        '__callbridgeTestPlayedMedia'
      ];
      return [...(played ?? [])].find((media) => media.dataset['sipRinger'] === 'ring')?.sinkId;
    });
    assert.equal(ringerSink, await idOf(choices.Ringer));
    await page
      .getByRole('alert', { name: 'Incoming call' })
      .getByRole('button', { name: 'Answer line 1', exact: true })
      .click();
    await waitForLine(page, 1, 'established');
    const media = await page.evaluate(() => {
      const connections = (window as unknown as Record<string, RTCPeerConnection[] | undefined>)[
        '__callbridgeTestPeerConnections'
      ];
      const last = connections?.at(-1);
      const audio = document.querySelector<HTMLAudioElement>('audio[data-sip-call]');
      return {
        microphone: last?.getSenders().find((s) => s.track?.kind === 'audio')?.track?.label,
        speaker: audio?.sinkId,
      };
    });
    assert.deepEqual(media, {
      microphone: choices.Microphone,
      speaker: await idOf(choices.Speaker),
    });
    await waitForLine(page, 1, 'idle');
    await callerGot(calling, 'SIP/2.0 200 OK');
  });
});
