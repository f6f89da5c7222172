import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Call, CallPhase, LineTable } from '../../shared/model/line-table.ts';
import { applyEvent, createLineTable } from '../../shared/model/line-table.ts';
import { resyncEvents, type LiveCall } from './call-resync.ts';

const live = (phase: CallPhase, direction: 'inbound' | 'outbound' = 'inbound'): LiveCall => ({
  line: 2,
  ref: 'abc@pbx',
  phase,
  direction,
  number: '1001',
  callerId: 'Alice',
  muted: false,
  silenced: false,
  ringback: null,
});

const connected = (phase: CallPhase) => phase === 'established' || phase === 'held';

const clock = () => {
  let next = 0;
  return { now: 1_000, newCallId: () => `call-${(next += 1)}` };
};

/** The core's table after it has folded `events` in, from an empty two-line table. */
function fold(
  events: readonly ReturnType<typeof resyncEvents>[number][],
  table: LineTable = createLineTable(2),
): LineTable {
  let current = table;
  const at = clock();
  for (const event of events) {
    const result = applyEvent(current, event, at);
    assert.ok(result.ok, JSON.stringify(event));
    current = result.value.table;
  }
  return current;
}

describe('resyncEvents', () => {
  it('tells the whole story to a core that has not seen the call', () => {
    assert.deepEqual(
      resyncEvents(live('held', 'outbound'), null).map((event) => event.kind),
      ['Dialing', 'Established', 'Held'],
    );
    assert.deepEqual(
      resyncEvents(live('ringing'), null).map((event) => event.kind),
      ['Incoming'],
    );
  });

  it('only confirms, changing nothing, a call the core already shows as it is', () => {
    for (const phase of ['ringing', 'established', 'held'] as const) {
      const table = fold(resyncEvents(live(phase), null));
      const shown = table.lines[1]?.call ?? null;
      const events = resyncEvents(live(phase), shown);
      assert.equal(events.length, 1);
      assert.deepEqual(fold(events, table), table, phase);
    }
  });

  it('brings a silenced ring and a mute to a core that has not seen them', () => {
    const ringing = fold(resyncEvents({ ...live('ringing'), silenced: true }, null)).lines[1];
    assert.equal(ringing?.call?.phase === 'ringing' && ringing.call.silenced, true);
    const shown = fold(resyncEvents(live('established'), null)).lines[1]?.call ?? null;
    assert.deepEqual(resyncEvents({ ...live('established'), muted: true }, shown), [
      { kind: 'Established', line: 2, ref: 'abc@pbx' },
      { kind: 'Muted', line: 2, ref: 'abc@pbx', muted: true },
    ]);
  });

  it('never makes the core end a call it knows and start it again', () => {
    const phases: readonly CallPhase[] = ['ringing', 'dialing', 'established', 'held'];
    const connectedOrNot = fc.constantFrom(...phases);
    fc.assert(
      fc.property(
        connectedOrNot,
        connectedOrNot,
        fc.constantFrom('inbound' as const, 'outbound' as const),
        fc.boolean(),
        fc.boolean(),
        (before, now, direction, mutedBefore, mutedNow) => {
          // The core saw the call up to `before`; the engine's call has reached `now` since.
          const seen = { ...live(before, direction), muted: connected(before) && mutedBefore };
          const start = seen.direction === 'inbound' ? 'ringing' : 'dialing';
          if ((before === 'ringing' || before === 'dialing') && before !== start) return;
          if ((now === 'ringing' || now === 'dialing') && now !== start) return;
          if (
            (before === 'established' || before === 'held') &&
            (now === 'ringing' || now === 'dialing')
          )
            return;
          const table = fold(resyncEvents(seen, null));
          const shown: Call | null = table.lines[1]?.call ?? null;
          const muted = connected(now) && mutedNow;
          const after =
            fold(resyncEvents({ ...seen, phase: now, muted }, shown), table).lines[1]?.call ?? null;
          assert.equal(after?.id, shown?.id, 'the same call, not a new one');
          assert.equal(after?.phase, now);
          const shownMuted =
            after.phase === 'established' || after.phase === 'held' ? after.muted : undefined;
          assert.equal(shownMuted ?? false, muted);
        },
      ),
    );
  });
});
