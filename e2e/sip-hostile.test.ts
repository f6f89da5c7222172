import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import type { CallEvent } from '../shared/model/call-event.ts';
import {
  button,
  callerGot,
  callOn,
  dial,
  explain,
  historyRow,
  ranThrough,
  received,
  statusesReceived,
  waitForLine,
  type Phone,
} from './sip/comms-manager.ts';
import {
  assertLinesFree,
  assertValidTable,
  coreLogged,
  engineLog,
  callsThatGot,
  CoreLogWatch,
  engineLogged,
  floodWithSipp,
  nextEngineLog,
  sendDatagrams,
  stillAPhone,
} from './sip/hostile.ts';
import { runInOwnNetworkNamespace } from './sip/netns.ts';
import { phoneRig } from './sip/phone-rig.ts';
import { isRequest, isResponseTo } from './sip/page-wire.ts';
import { until } from './sip/process.ts';
import { answeringSipp, type SipRig } from './sip/rig.ts';

// WebRTC against rtpengine on loopback: in a network namespace of its own (DESIGN.md).
await runInOwnNetworkNamespace(import.meta.filename);

/**
 * Bad input from the network (issue 7): what a hostile or broken far end sends, through
 * the same rig as sip-calls.test.ts (Kamailio, rtpengine, the core, the Comms Manager in
 * Chromium hosting the JsSIP engine). After each the app must still be up and registered,
 * its line table valid and free again, a plain call must still work, and the integration
 * log must say what happened. Waits on what the page sends and shows, on the engine's
 * reports to the core and on sipp's end; never on a sleep.
 */

const USER = '1001';
/** A sipp that answers. */
const FAR_END = '1003';
/** A sipp that calls, floods, or sends what it should not. */
const CALLER = '1004';
/** sipAccountSettings asks for four lines. */
const LINES = 4;

describe('SIP engine against hostile input from the network', () => {
  const ready = phoneRig({ user: USER });
  let rig: SipRig;
  let phone: Phone;
  let page: Page;
  const asCaller = () => ({ user: CALLER, password: rig.password(CALLER) });

  before(() => {
    ({ rig, phone } = ready());
    page = phone.page;
  });

  it('never hands the engine what Kamailio cannot parse, and logs an INVITE that JsSIP cannot read instead of leaving it unanswered', async () => {
    // Not SIP at all, and a request whose header lines have no colon: the proxy's parser
    // refuses both, so neither reaches the engine (Kamailio says so in its own log).
    const refusedBefore = (rig.log().match(/core parsing of SIP message failed/g) ?? []).length;
    await sendDatagrams(rig, [
      Buffer.concat([randomBytes(512), Buffer.from('\r\n\r\n')]),
      [
        `INVITE sip:${USER}@${rig.domain} SIP/2.0`,
        'Via SIP/2.0/UDP nowhere',
        '\u0000\u0007 this is not a header',
        '',
        '',
      ].join('\r\n'),
    ]);
    await until(
      () =>
        (rig.log().match(/core parsing of SIP message failed/g) ?? []).length >= refusedBefore + 2,
      'Kamailio to refuse both datagrams',
    );

    // An authenticated INVITE whose Contact no grammar accepts: Kamailio relays it as it
    // is, the page receives it, JsSIP drops it unread.
    const sipMark = phone.sip.mark();
    const bridgeMark = phone.bridge.mark();
    const unreadable = await rig.startSipp({
      scenario: 'hostile-uac-unreadable',
      service: USER,
      auth: asCaller(),
      keys: { caller: CALLER },
    });
    const invite = await phone.sip.next(
      (frame) =>
        frame.direction === 'received' &&
        isRequest('INVITE')(frame) &&
        (frame.value.header('contact') ?? '').includes('garbage'),
      'the INVITE with the unreadable Contact, at the page',
      { after: sipMark },
    );
    // Its Request-URI is the page's own contact, as the registrar rewrote it.
    assert.match(
      await nextEngineLog(phone, /could not be read/, { after: bridgeMark }),
      /^INVITE sip:\S+ SIP\/2\.0: could not be read and was dropped$/,
    );
    // Nothing answered it: the proxy gave up on its own (408) and the caller ACKed that.
    const caller = await ranThrough(unreadable.done);
    assert.ok(statusesReceived(caller).includes('SIP/2.0 408 Request Timeout'), explain(caller));
    const callId = invite.value.header('call-id');
    const answeredByPage = phone.sip
      .frames()
      .slice(sipMark)
      .filter((frame) => frame.direction === 'sent' && frame.value.header('call-id') === callId);
    assert.deepEqual(
      answeredByPage.map((frame) => frame.value.startLine),
      [],
      'the engine answered what it could not read',
    );
    await coreLogged(phone, /could not be read/);
    await assertLinesFree(phone, LINES);
    await stillAPhone(phone, rig, { caller: CALLER, user: USER });
  });

  it('shows a caller ID full of invisible and bidi-override characters with those replaced, cut to fit', async () => {
    const bridgeMark = phone.bridge.mark();
    const display = `\u202E\u200BAdmin\u2066<b>${'x'.repeat(300)}`;
    const calling = rig.sipp({
      scenario: 'hostile-uac-odd-caller',
      service: USER,
      auth: asCaller(),
      keys: { caller: CALLER, display },
      pauseMs: 1_000,
    });
    await waitForLine(page, 1, 'ringing');
    const call = await callOn(phone, 1);
    const shown = `\uFFFD\uFFFDAdmin\uFFFD<b>${'x'.repeat(300)}`.slice(0, 128);
    assert.equal(call.number, CALLER);
    assert.equal(call.callerId, shown);
    // The line card shows it so, and so does the incoming-call alert.
    await page
      .locator('[data-line="1"][data-state="ringing"]')
      .filter({ hasText: '\uFFFD\uFFFDAdmin\uFFFD<b>x' })
      .waitFor();
    await page
      .getByRole('alert', { name: 'Incoming call' })
      .filter({ hasText: '\uFFFD\uFFFDAdmin\uFFFD<b>x' })
      .waitFor();
    assert.equal(
      await nextEngineLog(phone, /^INVITE from/, { after: bridgeMark }),
      `INVITE from ${CALLER} "${shown}"`,
    );
    await waitForLine(page, 1, 'idle');
    await callerGot(calling, 'SIP/2.0 487 Request Terminated');
    await assertLinesFree(phone, LINES);
  });

  it('ends a call whose 200 OK carries unusable SDP: ACK and BYE to the far end, the line free, the cause in the log', async () => {
    const farEnd = await answeringSipp(rig, FAR_END, { scenario: 'hostile-uas-bad-sdp' });
    const sipMark = phone.sip.mark();
    const bridgeMark = phone.bridge.mark();
    await dial(page, FAR_END);
    await waitForLine(page, 1, 'dialing');
    const call = await callOn(phone, 1);
    // The garbage reached the engine as sipp wrote it: rtpengine could not read it either.
    const ok = await phone.sip.next(
      (frame) => frame.direction === 'received' && isResponseTo('INVITE', 200)(frame),
      'the 200 OK with the broken SDP, at the page',
      { after: sipMark },
    );
    assert.match(ok.value.body, /garbage without an equals sign/);
    await waitForLine(page, 1, 'idle');
    const ended = await ranThrough(farEnd.done);
    assert.equal(received(ended, 'ACK').length, 1, explain(ended));
    assert.equal(received(ended, 'BYE').length, 1, explain(ended));
    const logged = await nextEngineLog(phone, /failed/, { after: bridgeMark });
    assert.equal(
      logged,
      `call to ${FAR_END} failed: the far end sent unusable media parameters`,
      engineLog(phone, bridgeMark).join('\n'),
    );
    await coreLogged(phone, /the far end sent unusable media parameters/);
    const row = await historyRow(page, call);
    assert.equal(row.outcome, 'unanswered');
    // "How it ended" names the SDP, not the 200 that carried it.
    assert.equal(row.cells[4], 'the far end sent unusable media parameters');
    await assertLinesFree(phone, LINES);
    await stillAPhone(phone, rig, { caller: CALLER, user: USER });
  });

  it('refuses a REFER to a garbage target during a call, says so in the log, and keeps the call up', async () => {
    const sipMark = phone.sip.mark();
    const bridgeMark = phone.bridge.mark();
    const calling = await rig.startSipp({
      scenario: 'hostile-uac-refer',
      service: USER,
      auth: asCaller(),
      keys: { caller: CALLER },
    });
    await waitForLine(page, 1, 'ringing');
    const answered = await phone.probe.invoke('command', { kind: 'Answer', line: 1 });
    assert.ok(answered.ok, JSON.stringify(answered));
    await waitForLine(page, 1, 'established');
    const refer = await phone.sip.next(
      (frame) => frame.direction === 'received' && isRequest('REFER')(frame),
      'the REFER at the page',
      { after: sipMark },
    );
    assert.match(refer.value.header('refer-to') ?? '', /evil\.invalid/);
    // JsSIP takes the REFER (202, then a NOTIFY of 100 Trying); the engine declines it
    // in the next NOTIFY.
    const notify = await phone.sip.next(
      (frame) =>
        frame.direction === 'sent' &&
        isRequest('NOTIFY')(frame) &&
        !frame.value.body.startsWith('SIP/2.0 100 '),
      'the NOTIFY that declines the REFER',
      { after: sipMark },
    );
    assert.match(notify.value.body, /^SIP\/2\.0 603 /);
    const cseq = notify.value.header('cseq');
    await phone.sip.next(
      (frame) =>
        frame.direction === 'received' &&
        isResponseTo('NOTIFY', 200)(frame) &&
        frame.value.header('cseq') === cseq,
      'the 200 for that NOTIFY',
      { after: sipMark },
    );
    assert.equal(
      await nextEngineLog(phone, /^REFER from/, { after: bridgeMark }),
      `REFER from ${CALLER} refused: transfers asked by the far end are not followed`,
    );
    await coreLogged(phone, /^REFER from .* refused/);
    // No call went out to the target, and the call is still up on line 1.
    const invitesOut = phone.sip
      .frames()
      .slice(sipMark)
      .filter((frame) => frame.direction === 'sent' && isRequest('INVITE')(frame));
    assert.deepEqual(invitesOut, []);
    await waitForLine(page, 1, 'established');
    assert.equal((await callOn(phone, 1)).phase, 'established');
    await button(page, 'Hang up line 1').click();
    await waitForLine(page, 1, 'idle');
    await ranThrough(calling.done);
    await assertLinesFree(phone, LINES);
    await stillAPhone(phone, rig, { caller: CALLER, user: USER });
  });

  it('survives 200 INVITEs in a second: never more calls than lines, 486 for the rest, all of it in the log', async () => {
    const bridgeMark = phone.bridge.mark();
    const coreLog = new CoreLogWatch(phone);
    const tables: string[] = [];
    const off = phone.probe.on('lines', (view) => {
      try {
        assertValidTable(view.table, LINES);
      } catch (error) {
        tables.push(error instanceof Error ? error.message : String(error));
      }
    });
    const started = Date.now();
    const flooding = floodWithSipp(rig, {
      scenario: 'hostile-uac-flood',
      from: CALLER,
      to: USER,
      calls: 200,
      rate: 200,
      // Each call that rang holds its line this long before it is cancelled.
      pauseMs: 1_500,
      timeoutMs: 30_000,
    });
    // Responsive while it lasts: the core answers the bridge, the first calls ring.
    await waitForLine(page, LINES, 'ringing');
    const during = Date.now();
    await phone.probe.snapshot();
    const snapshotMs = Date.now() - during;
    const flood = await flooding;
    const floodMs = Date.now() - started;
    off();
    assert.equal(
      flood.exitCode,
      0,
      `${explain(flood)}\n180: ${callsThatGot(flood, 'SIP/2.0 180 Ringing')} 486: ${callsThatGot(flood, 'SIP/2.0 486 Busy Here')} statuses: ${[...new Set(statusesReceived(flood))].join(', ')}`,
    );
    assert.deepEqual(tables, [], 'the core sent a line table that is not valid');

    // Calls, not messages: the proxy retransmits a 486 that sipp was slow to ACK.
    const rang = callsThatGot(flood, 'SIP/2.0 180 Ringing');
    const busy = callsThatGot(flood, 'SIP/2.0 486 Busy Here');
    assert.equal(rang + busy, 200, `rang ${rang}, busy ${busy}`);
    assert.ok(rang >= LINES, `only ${rang} calls rang`);

    // The engine's calls as it reported them: never more at once than there are lines.
    const events = phone.bridge
      .frames()
      .slice(bridgeMark)
      .flatMap((frame) => {
        const { request } = frame.value;
        if (frame.value.name !== 'engineReport' || typeof request !== 'object') return [];
        if (request === null || !('kind' in request) || request.kind !== 'call') return [];
        return 'event' in request ? [request.event as CallEvent] : [];
      });
    const live = new Map<number, string | undefined>();
    let most = 0;
    for (const event of events) {
      if (event.kind === 'Incoming') {
        assert.ok(!live.has(event.line), `line ${event.line} given twice`);
        live.set(event.line, event.ref);
        most = Math.max(most, live.size);
      } else if (event.kind === 'Terminated' && live.get(event.line) === event.ref) {
        live.delete(event.line);
      }
    }
    assert.equal(events.filter((event) => event.kind === 'Incoming').length, rang);
    assert.equal(most, LINES);

    // What the engine said, and what the core's integration log kept of it: all of it.
    const expected = [
      [`INVITE from ${CALLER}`, 200],
      [`486 Busy Here to ${CALLER}: all lines are busy`, busy],
      [`CANCEL from ${CALLER}`, rang],
    ] as const;
    await engineLogged(phone, expected, bridgeMark);
    await coreLog.kept(expected);
    coreLog.close();
    // What the Log tab shows an installer.
    await page.getByRole('tab', { name: 'Integration log' }).click();
    await page
      .getByRole('list', { name: 'Integration log' })
      .getByText(`486 Busy Here to ${CALLER}: all lines are busy`)
      .first()
      .waitFor({ timeout: 5_000 });
    await page.getByRole('tab', { name: 'History' }).click();

    await assertLinesFree(phone, LINES);
    await stillAPhone(phone, rig, { caller: CALLER, user: USER });
    process.stderr.write(
      `INVITE flood: ${rang} rang, ${busy} got 486, ${floodMs} ms to the last call's end; ` +
        `a snapshot took ${snapshotMs} ms while all lines rang\n`,
    );
  });
});
