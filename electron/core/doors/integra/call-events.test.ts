import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CallEvent } from '../../../../shared/model/call-event.ts';
import { ok } from '../../../../shared/result.ts';
import { INTEGRA_EVENT_NAMES, type IntegraEvent } from '../../../../shared/protocols/integra.ts';
import { recordingBackend } from '../../backends/backend.test-support.ts';
import { Switchboard, type LineChange } from '../../switchboard.ts';
import { integraEventsOf, integraValues, type IntegraOccurrence } from './call-events.ts';

const LINES = 2;

/** The events a real switchboard's changes fire, one list per change, for `events` in order. */
function fire(events: readonly CallEvent[]) {
  const board = new Switchboard({
    lines: LINES,
    backend: recordingBackend([]).create,
    journal: () => ok(null),
  });
  const changes: { change: LineChange; fired: IntegraOccurrence[] }[] = [];
  board.changed.on((change) => {
    changes.push({ change, fired: integraEventsOf(change) });
  });
  for (const event of events) board.report(event);
  return { board, changes, all: changes.flatMap(({ fired }) => fired) };
}

const names = (events: readonly CallEvent[]): string[] =>
  fire(events).all.map(({ event, call }) => `${event} ${call.number}`);

describe('Integra events from line-table transitions', () => {
  it('an answered incoming call: CALL_IN, CALL_ACCEPT, CALL_CLOSE', () => {
    assert.deepEqual(
      names([
        { kind: 'Incoming', line: 1, number: '026161616' },
        { kind: 'Established', line: 1 },
        { kind: 'Terminated', line: 1 },
      ]),
      ['CALL_IN 026161616', 'CALL_ACCEPT 026161616', 'CALL_CLOSE 026161616'],
    );
  });

  it('a missed call: CALL_IN then CALL_CLOSE, nothing for silencing it', () => {
    assert.deepEqual(
      names([
        { kind: 'Incoming', line: 1, number: '201' },
        { kind: 'Silenced', line: 1 },
        { kind: 'Terminated', line: 1, reason: 'hangup' },
      ]),
      ['CALL_IN 201', 'CALL_CLOSE 201'],
    );
  });

  it('an outgoing call answered, held and taken back: CALL_OUT, CALL_ACCEPT, CALL_ACTIVE', () => {
    assert.deepEqual(
      names([
        { kind: 'Dialing', line: 1, number: '0301234' },
        { kind: 'Established', line: 1 },
        { kind: 'Held', line: 1 },
        { kind: 'Resumed', line: 1 },
        { kind: 'Held', line: 1 },
        // A PBX that reports "connected" for the retrieve: the same held -> connected.
        { kind: 'Established', line: 1 },
        { kind: 'Muted', line: 1, muted: true },
        { kind: 'LineSelected', line: 2 },
        { kind: 'Terminated', line: 1 },
      ]),
      [
        'CALL_OUT 0301234',
        'CALL_ACCEPT 0301234',
        'CALL_ACTIVE 0301234',
        'CALL_ACTIVE 0301234',
        'CALL_CLOSE 0301234',
      ],
    );
  });

  it('a call refused by a busy far end: CALL_BUSY just before its CALL_CLOSE', () => {
    const rejected = names([
      { kind: 'Dialing', line: 1, number: '100' },
      { kind: 'Terminated', line: 1, reason: 'rejected', detail: '603 Decline' },
    ]);
    assert.deepEqual(rejected, ['CALL_OUT 100', 'CALL_BUSY 100', 'CALL_CLOSE 100']);
    for (const detail of ['486 Busy Here', '600 Busy Everywhere', 'the line is busy']) {
      assert.deepEqual(
        names([
          { kind: 'Dialing', line: 1, number: '100' },
          { kind: 'Terminated', line: 1, reason: 'failed', detail },
        ]),
        ['CALL_OUT 100', 'CALL_BUSY 100', 'CALL_CLOSE 100'],
        detail,
      );
    }
  });

  it('is not busy for other failures, answered calls or incoming calls we refused', () => {
    const cases: CallEvent[][] = [
      [
        { kind: 'Dialing', line: 1, number: '100' },
        { kind: 'Terminated', line: 1, reason: 'failed', detail: '404 Not Found' },
      ],
      [
        { kind: 'Dialing', line: 1, number: '100' },
        { kind: 'Established', line: 1 },
        { kind: 'Terminated', line: 1, reason: 'rejected', detail: '486 Busy Here' },
      ],
      [
        { kind: 'Incoming', line: 1, number: '100' },
        { kind: 'Terminated', line: 1, reason: 'rejected', detail: '486 Busy Here' },
      ],
    ];
    for (const events of cases) {
      assert.ok(
        !names(events).some((name) => name.startsWith('CALL_BUSY')),
        JSON.stringify(events),
      );
    }
  });

  it('a call that arrives already answered opens with CALL_IN, then CALL_ACCEPT', () => {
    assert.deepEqual(names([{ kind: 'Established', line: 1, number: '555' }]), [
      'CALL_IN 555',
      'CALL_ACCEPT 555',
    ]);
  });

  it('a new call on a busy line closes the old call first', () => {
    assert.deepEqual(
      names([
        { kind: 'Incoming', line: 2, number: '111' },
        { kind: 'Established', line: 2 },
        { kind: 'Incoming', line: 2, number: '222' },
      ]),
      ['CALL_IN 111', 'CALL_ACCEPT 111', 'CALL_CLOSE 111', 'CALL_IN 222'],
    );
  });

  it('carries the line, direction and the same call id from first event to last', () => {
    const { all, changes } = fire([
      { kind: 'Dialing', line: 2, number: '0301234' },
      { kind: 'Terminated', line: 2 },
    ]);
    const ids = new Set(all.map(({ call }) => call.id));
    assert.equal(ids.size, 1);
    assert.deepEqual([...ids], [changes[1]?.change.ended[0]?.id]);
    assert.ok(all.every(({ call }) => call.line === 2 && call.direction === 'outbound'));
  });

  it('fills the values: the number, the event, !04 as the document writes it, the call id', () => {
    const [first] = fire([{ kind: 'Incoming', line: 1, number: '026161616' }]).all;
    assert.ok(first);
    const values = integraValues(first, new Date(2024, 11, 25, 9, 5, 3));
    assert.deepEqual(values, {
      ownNumber: '',
      remoteNumber: '026161616',
      action: 'CALL_IN',
      ownDirectNumber: '',
      time: '25/12/2024_09.05.03',
      callId: first.call.id,
      originalCallingNumber: '026161616',
      originalCalledNumber: '',
      extId: '',
    });
    const [out] = fire([{ kind: 'Dialing', line: 1, number: '100' }]).all;
    assert.ok(out);
    assert.equal(integraValues(out, new Date()).originalCallingNumber, '');
    // !08 is the ext_ID a voispeed: link gave the call.
    const [tagged] = fire([{ kind: 'Dialing', line: 1, number: '100', tag: 'Order 12' }]).all;
    assert.ok(tagged);
    assert.equal(integraValues(tagged, new Date()).extId, 'Order 12');
    // !00 is the backend's own number where it has one (the SIP user name).
    assert.equal(integraValues(out, new Date(), '1001').ownNumber, '1001');
  });
});

const line = fc.integer({ min: 1, max: LINES });
const ref = fc.option(fc.constantFrom('a', 'b'), { nil: undefined });
const number = fc.constantFrom('100', '0301234', '');
const eventArbitrary: fc.Arbitrary<CallEvent> = fc.oneof(
  fc.record({ kind: fc.constant('Incoming' as const), line, ref, number }),
  fc.record({ kind: fc.constant('Dialing' as const), line, ref, number }),
  fc.record({
    kind: fc.constant('Established' as const),
    line,
    ref,
    number: fc.option(number, { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('Held' as const), line, ref }),
  fc.record({ kind: fc.constant('Resumed' as const), line, ref }),
  fc.record({ kind: fc.constant('Silenced' as const), line, ref }),
  fc.record({ kind: fc.constant('Muted' as const), line, ref, muted: fc.boolean() }),
  fc.record({ kind: fc.constant('LineSelected' as const), line }),
  fc.record({
    kind: fc.constant('Terminated' as const),
    line,
    ref,
    reason: fc.option(fc.constantFrom('hangup', 'rejected', 'failed', 'transferred' as const), {
      nil: undefined,
    }),
    detail: fc.option(fc.constantFrom('486 Busy Here', '404 Not Found'), { nil: undefined }),
  }),
);

const STARTS: readonly IntegraEvent[] = ['CALL_IN', 'CALL_OUT'];

describe('Integra events, for any sequence of call events', () => {
  it('fire well-formed lists: CALL_CLOSE exactly once per ended call, a start before all else', () => {
    fc.assert(
      fc.property(fc.array(eventArbitrary, { maxLength: 40 }), (events) => {
        const { board, changes } = fire(events);
        const seen = new Map<string, IntegraEvent[]>();
        for (const { change, fired } of changes) {
          for (const { event, call } of fired) {
            assert.ok(INTEGRA_EVENT_NAMES.includes(event));
            assert.ok(call.id !== '' && call.line >= 1 && call.line <= LINES);
            seen.set(call.id, [...(seen.get(call.id) ?? []), event]);
          }
          // Exactly the calls this change ended are closed, in the order they ended.
          const closed = fired.filter(({ event }) => event === 'CALL_CLOSE');
          assert.deepEqual(
            closed.map(({ call }) => call.id),
            change.ended.map((record) => record.id),
          );
          for (const [index, { event, call }] of fired.entries()) {
            if (event !== 'CALL_BUSY') continue;
            const next = fired[index + 1];
            assert.equal(next?.event, 'CALL_CLOSE');
            assert.equal(next.call.id, call.id);
            assert.equal(call.direction, 'outbound');
          }
        }
        const onLines = new Set(board.table.lines.flatMap(({ call }) => (call ? [call.id] : [])));
        for (const [id, list] of seen) {
          const [first] = list;
          assert.ok(first !== undefined && STARTS.includes(first), `${id}: ${list.join(' ')}`);
          assert.equal(list.filter((event) => STARTS.includes(event)).length, 1);
          assert.ok(list.filter((event) => event === 'CALL_ACCEPT').length <= 1);
          const closes = list.filter((event) => event === 'CALL_CLOSE').length;
          assert.equal(closes, onLines.has(id) ? 0 : 1, `${id}: ${list.join(' ')}`);
          if (closes === 1) assert.equal(list.at(-1), 'CALL_CLOSE');
          const active = list.indexOf('CALL_ACTIVE');
          if (active >= 0) assert.ok(list.indexOf('CALL_ACCEPT') < active);
        }
        // Every call that was ever on a line was heard of.
        for (const id of onLines) assert.ok(seen.has(id));
      }),
    );
  });
});
