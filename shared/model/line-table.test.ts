import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CallEvent } from './call-event.ts';
import {
  applyEvent,
  createLineTable,
  resizeLineTable,
  type Clock,
  type HistoryRecord,
  type LineTable,
} from './line-table.ts';

function clockAt(start: number): Clock & { tick(ms: number): void } {
  let now = start;
  let next = 0;
  return {
    get now() {
      return now;
    },
    tick(ms: number) {
      now += ms;
    },
    newCallId: () => `call-${++next}`,
  };
}

function apply(table: LineTable, events: CallEvent[]) {
  const clock = clockAt(1_000);
  const ended: HistoryRecord[] = [];
  for (const event of events) {
    const result = applyEvent(table, event, clock);
    assert.ok(result.ok, `expected ${event.kind} to apply: ${JSON.stringify(result)}`);
    table = result.value.table;
    ended.push(...result.value.ended);
    clock.tick(1_000);
  }
  return { table, ended };
}

describe('line table transitions', () => {
  it('walks a call through ringing, connected, held, resumed and ended', () => {
    const { table, ended } = apply(createLineTable(2), [
      { kind: 'Incoming', line: 1, number: '012345678901', callerId: 'Datos' },
      { kind: 'Established', line: 1 },
      { kind: 'Held', line: 1 },
      { kind: 'Resumed', line: 1 },
      { kind: 'Terminated', line: 1, detail: 'hung up by the far end' },
    ]);
    assert.equal(table.lines[0]?.call, null);
    assert.deepEqual(ended, [
      {
        id: 'call-1',
        line: 1,
        direction: 'inbound',
        number: '012345678901',
        callerId: 'Datos',
        startedAt: 1_000,
        answeredAt: 2_000,
        endedAt: 5_000,
        outcome: 'answered',
        reason: 'hung up by the far end',
      },
    ]);
  });

  it('records an inbound call that was never answered as missed', () => {
    const { ended } = apply(createLineTable(1), [
      { kind: 'Incoming', line: 1, number: '100' },
      { kind: 'Terminated', line: 1 },
    ]);
    assert.equal(ended[0]?.outcome, 'missed');
    assert.equal(ended[0].answeredAt, null);
  });

  it('creates the call when the PBX reports it established without an incoming alert', () => {
    const { table } = apply(createLineTable(1), [{ kind: 'Established', line: 1, number: '55' }]);
    assert.equal(table.lines[0]?.call?.phase, 'established');
    assert.equal(table.lines[0].call.number, '55');
  });

  it('ends the old call into history when a new one arrives on a busy line', () => {
    const { table, ended } = apply(createLineTable(1), [
      { kind: 'Incoming', line: 1, number: '1' },
      { kind: 'Incoming', line: 1, number: '2' },
    ]);
    assert.equal(table.lines[0]?.call?.number, '2');
    assert.deepEqual(
      ended.map((record) => record.number),
      ['1'],
    );
  });

  it('treats a repeated event as a no-op', () => {
    const clock = clockAt(0);
    const first = applyEvent(createLineTable(1), { kind: 'Incoming', line: 1, number: '1' }, clock);
    assert.ok(first.ok);
    const again = applyEvent(first.value.table, { kind: 'Incoming', line: 1, number: '1' }, clock);
    assert.ok(again.ok);
    assert.equal(again.value.changed, false);
    assert.equal(again.value.table, first.value.table);
  });

  it('refuses what cannot make sense and names the line', () => {
    const table = createLineTable(2);
    const clock = clockAt(0);
    const outOfRange = applyEvent(table, { kind: 'Incoming', line: 3, number: '1' }, clock);
    assert.deepEqual(outOfRange.ok ? null : outOfRange.error.code, 'no-such-line');
    assert.match(outOfRange.ok ? '' : outOfRange.error.message, /line 3 does not exist.*1 to 2/);
    const ringing = apply(table, [{ kind: 'Incoming', line: 1, number: '1' }]).table;
    const hold = applyEvent(ringing, { kind: 'Held', line: 1 }, clock);
    assert.equal(hold.ok ? null : hold.error.code, 'not-allowed-now');
    const resume = applyEvent(table, { kind: 'Resumed', line: 2 }, clock);
    assert.equal(resume.ok ? null : resume.error.code, 'no-call');
  });

  it('keeps a mute across hold and resume, and drops a ring silence once answered', () => {
    const { table } = apply(createLineTable(1), [
      { kind: 'Incoming', line: 1, ref: 'a', number: '1001' },
      { kind: 'Silenced', line: 1, ref: 'a' },
    ]);
    const ringing = table.lines[0]?.call;
    assert.equal(ringing?.phase === 'ringing' && ringing.silenced, true);
    const talking = apply(table, [
      { kind: 'Established', line: 1, ref: 'a' },
      { kind: 'Muted', line: 1, ref: 'a', muted: true },
      { kind: 'Held', line: 1, ref: 'a' },
      { kind: 'Resumed', line: 1, ref: 'a' },
    ]).table.lines[0]?.call;
    assert.ok(talking?.phase === 'established');
    assert.equal(talking.muted, true);
    assert.equal(Object.hasOwn(talking, 'silenced'), false);
  });

  it('shows the far end ringing, then its early media, which a later 180 does not undo', () => {
    const { table } = apply(createLineTable(1), [
      { kind: 'Dialing', line: 1, ref: 'a', number: '1002' },
      { kind: 'Ringback', line: 1, ref: 'a', earlyMedia: false },
      { kind: 'Ringback', line: 1, ref: 'a', earlyMedia: true },
      { kind: 'Ringback', line: 1, ref: 'a', earlyMedia: false },
    ]);
    const call = table.lines[0]?.call;
    assert.ok(call?.phase === 'dialing');
    assert.equal(call.ringback, 'early-media');
    const answered = apply(table, [{ kind: 'Established', line: 1, ref: 'a' }]).table.lines[0];
    assert.ok(answered?.call);
    assert.equal(Object.hasOwn(answered.call, 'ringback'), false);
  });

  it('refuses to mute a call that is not connected and to silence one not ringing', () => {
    const clock = clockAt(0);
    const dialing = apply(createLineTable(1), [{ kind: 'Dialing', line: 1, number: '1' }]).table;
    const mute = applyEvent(dialing, { kind: 'Muted', line: 1, muted: true }, clock);
    assert.match(mute.ok ? '' : mute.error.message, /dialing; only a connected call can be muted/);
    const silence = applyEvent(dialing, { kind: 'Silenced', line: 1 }, clock);
    assert.equal(silence.ok ? null : silence.error.code, 'not-allowed-now');
  });

  it('keeps the tag of a dialled call through answer and hold, into its history record', () => {
    const { table, ended } = apply(createLineTable(2), [
      { kind: 'Dialing', line: 1, number: '187', tag: 'Order 1234' },
      { kind: 'Established', line: 1, number: '187' },
      { kind: 'Held', line: 1 },
      { kind: 'Resumed', line: 1 },
      // A repeat of the Dialing without its tag (a page resyncing) changes nothing.
      { kind: 'Dialing', line: 2, number: '200' },
    ]);
    assert.equal(table.lines[0]?.call?.tag, 'Order 1234');
    assert.equal(Object.hasOwn(table.lines[1]?.call ?? {}, 'tag'), false);
    const done = apply(table, [{ kind: 'Terminated', line: 1 }]);
    assert.equal(done.ended[0]?.tag, 'Order 1234');
    assert.deepEqual(ended, []);
  });

  it('refuses to shrink the table under a call, and keeps calls when it grows', () => {
    const { table } = apply(createLineTable(3), [{ kind: 'Incoming', line: 3, number: '1' }]);
    const shrink = resizeLineTable(table, 2);
    assert.equal(shrink.ok, false);
    const grow = resizeLineTable(table, 5);
    assert.ok(grow.ok);
    assert.equal(grow.value.lines.length, 5);
    assert.equal(grow.value.lines[2]?.call?.number, '1');
  });
});

const LINES = 4;
const eventArbitrary: fc.Arbitrary<CallEvent> = fc.oneof(
  fc.record({
    kind: fc.constant('Incoming' as const),
    line: fc.integer({ min: 1, max: LINES + 2 }),
    number: fc.constantFrom('100', '200', ''),
    callerId: fc.option(fc.constantFrom('Datos', 'Acme'), { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant('Dialing' as const),
    line: fc.integer({ min: 1, max: LINES + 2 }),
    number: fc.constantFrom('100', '300'),
  }),
  fc.record({
    kind: fc.constant('Established' as const),
    line: fc.integer({ min: 1, max: LINES + 2 }),
    number: fc.option(fc.constantFrom('100', '400'), { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant('Ringback' as const),
    line: fc.integer({ min: 1, max: LINES + 2 }),
    earlyMedia: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('Muted' as const),
    line: fc.integer({ min: 1, max: LINES + 2 }),
    muted: fc.boolean(),
  }),
  ...(['Held', 'Resumed', 'LineSelected', 'Terminated', 'Silenced'] as const).map((kind) =>
    fc.record({ kind: fc.constant(kind), line: fc.integer({ min: 1, max: LINES + 2 }) }),
  ),
);

function assertPossible(table: LineTable): void {
  assert.equal(table.lines.length, LINES);
  table.lines.forEach((entry, index) => {
    assert.equal(entry.line, index + 1);
  });
  assert.ok(table.selected >= 1 && table.selected <= LINES);
  const ids = table.lines.flatMap((entry) => (entry.call ? [entry.call.id] : []));
  assert.equal(new Set(ids).size, ids.length, 'a call sits on two lines');
  for (const { call } of table.lines) {
    if (!call) continue;
    if (call.phase === 'established' || call.phase === 'held')
      assert.ok(call.answeredAt >= call.startedAt);
    if (call.phase === 'held') assert.ok(call.heldAt >= call.answeredAt);
    // Only a ringing call is silenced, only a connected one muted.
    if (Object.hasOwn(call, 'silenced')) assert.equal(call.phase, 'ringing');
    if (Object.hasOwn(call, 'ringback')) assert.equal(call.phase, 'dialing');
    if (Object.hasOwn(call, 'muted'))
      assert.ok(call.phase === 'established' || call.phase === 'held');
  }
}

describe('line table properties', () => {
  it('random event sequences never produce an impossible state or lose a call', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(eventArbitrary, fc.nat(5_000)), { maxLength: 60 }), (steps) => {
        let table = createLineTable(LINES);
        const clock = clockAt(0);
        const seen = new Set<string>();
        const recorded: string[] = [];
        for (const [event, delay] of steps) {
          clock.tick(delay);
          const result = applyEvent(table, event, clock);
          if (!result.ok) {
            assert.ok(
              event.line > LINES ||
                ['Held', 'Resumed', 'Muted', 'Silenced', 'Ringback'].includes(event.kind),
            );
            continue;
          }
          table = result.value.table;
          recorded.push(...result.value.ended.map((record) => record.id));
          for (const record of result.value.ended) assert.ok(record.endedAt >= record.startedAt);
          for (const { call } of table.lines) if (call) seen.add(call.id);
          assertPossible(table);
        }
        const live = table.lines.flatMap((entry) => (entry.call ? [entry.call.id] : []));
        assert.equal(new Set(recorded).size, recorded.length, 'a call was recorded twice');
        assert.deepEqual(new Set([...recorded, ...live]), seen, 'a call vanished without a record');
      }),
      { numRuns: 500 },
    );
  });

  it('a refused event leaves the table exactly as it was', () => {
    fc.assert(
      fc.property(fc.array(eventArbitrary, { maxLength: 30 }), (events) => {
        let table = createLineTable(LINES);
        const clock = clockAt(0);
        for (const event of events) {
          const before = JSON.stringify(table);
          const result = applyEvent(table, event, clock);
          if (result.ok) table = result.value.table;
          else
            assert.equal(
              JSON.stringify(table),
              before,
              `${event.kind} was refused but changed the table`,
            );
        }
        const before = JSON.stringify(table);
        const refused = applyEvent(table, { kind: 'Held', line: LINES + 1 }, clock);
        assert.equal(refused.ok, false);
        assert.equal(JSON.stringify(table), before);
      }),
      { numRuns: 200 },
    );
  });
});

describe('backend call references', () => {
  it('a late event for an ended call cannot touch the next call on the same line', () => {
    const { table } = apply(createLineTable(1), [
      { kind: 'Incoming', line: 1, number: '100', ref: 'first' },
      { kind: 'Terminated', line: 1, ref: 'first' },
      { kind: 'Incoming', line: 1, number: '200', ref: 'second' },
    ]);
    const clock = clockAt(10_000);
    for (const late of [
      { kind: 'Established', line: 1, ref: 'first' },
      { kind: 'Held', line: 1, ref: 'first' },
      { kind: 'Terminated', line: 1, ref: 'first' },
    ] as const) {
      const result = applyEvent(table, late, clock);
      assert.equal(result.ok ? null : result.error.code, 'no-call', late.kind);
    }
    assert.equal(table.lines[0]?.call?.number, '200');
    assert.equal(table.lines[0].call.ref, 'second');
  });

  it('a late end of a call already gone from an idle line is a no-op', () => {
    const result = applyEvent(
      createLineTable(1),
      { kind: 'Terminated', line: 1, ref: 'gone' },
      clockAt(0),
    );
    assert.ok(result.ok && !result.value.changed);
  });

  it('events naming another call never change the table (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Established', 'Held', 'Resumed', 'Terminated'),
        fc.string({ minLength: 1, maxLength: 8 }),
        (kind, ref) => {
          fc.pre(ref !== 'live');
          const start = applyEvent(
            createLineTable(1),
            { kind: 'Incoming', line: 1, number: '300', ref: 'live' },
            clockAt(0),
          );
          assert.ok(start.ok);
          const before = JSON.stringify(start.value.table);
          const result = applyEvent(start.value.table, { kind, line: 1, ref }, clockAt(5));
          assert.equal(result.ok, false);
          assert.equal(JSON.stringify(start.value.table), before);
        },
      ),
      { numRuns: 200 },
    );
  });
});
