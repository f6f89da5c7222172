import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import {
  button,
  callOn,
  dial,
  ranThrough,
  received,
  waitForLine,
  type Phone,
} from './sip/comms-manager.ts';
import { runInOwnNetworkNamespace } from './sip/netns.ts';
import { isRequest } from './sip/page-wire.ts';
import { answeringSipp, type SipRig } from './sip/rig.ts';
import { actAsTransferee, parseReferTo } from './sip/transferee.ts';
import { answerOverWs, registerOverWs, WsSipClient } from './sip/ws-sip-client.ts';
import {
  answeredInHistory,
  callControlsRig,
  FAR_END,
  reportsOf,
  TARGET,
  USER,
} from './sip/call-controls.ts';

// WebRTC against rtpengine on loopback: in a network namespace of its own (DESIGN.md).
await runInOwnNetworkNamespace(import.meta.filename);

/**
 * Blind and attended transfer end to end (issue 7), pressed by their accessible names in the
 * Comms Manager and proven where the far ends see them: sipp's trace and a WebSocket SIP
 * phone's messages for the REFERs, and the transferee's INVITE with Replaces at the target.
 */

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

describe('SIP transfers through Kamailio and rtpengine', () => {
  const ready = callControlsRig();
  let rig: SipRig;
  let phone: Phone;
  let page: Page;

  before(() => {
    ({ rig, phone } = ready());
    page = phone.page;
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
});
