import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CallEvent } from '../../shared/model/call-event.ts';
import type { Command } from '../../shared/model/command.ts';
import type { HistoryRecord } from '../../shared/model/line-table.ts';
import { err, ok } from '../../shared/result.ts';
import type { ReportEvent } from './backends/backend.ts';
import { pbxEventsBackend, recordingBackend } from './backends/backend.test-support.ts';
import {
  Switchboard,
  type LineChange,
  type LineWrite,
  type SwitchboardOptions,
} from './switchboard.ts';

/** A switchboard whose history is an array (the real store has tests of its own). */
function switchboard(lines: number, options: Partial<SwitchboardOptions> = {}) {
  const stored: HistoryRecord[] = [];
  const board = new Switchboard({
    lines,
    backend: pbxEventsBackend,
    journal: ({ ended }) => {
      stored.push(...ended);
      return ok(null);
    },
    ...options,
  });
  return { board, stored };
}

describe('Switchboard', () => {
  it('stores the ended call before anyone is told the line is idle', () => {
    const order: string[] = [];
    const { board } = switchboard(2, {
      journal: ({ call, ended }) => {
        order.push(ended.length > 0 ? 'stored' : `on line:${call?.phase ?? ''}`);
        return ok(null);
      },
    });
    board.changed.on((change) => {
      for (const _ of change.ended) order.push('ended');
    });
    board.linesChanged.on((view) =>
      order.push(`lines:${view.table.lines[0]?.call ? 'busy' : 'idle'}`),
    );
    board.report({ kind: 'Incoming', line: 1, number: '100' });
    board.report({ kind: 'Terminated', line: 1 });
    assert.deepEqual(order, ['on line:ringing', 'lines:busy', 'stored', 'ended', 'lines:idle']);
  });

  it('keeps the call on its line when the history cannot store it', () => {
    const { board } = switchboard(1, {
      journal: ({ ended }) => (ended.length > 0 ? err('disk full') : ok(null)),
    });
    const changes: unknown[] = [];
    board.report({ kind: 'Incoming', line: 1, number: '100' });
    const before = board.table;
    board.linesChanged.on((view) => changes.push(view));
    const result = board.report({ kind: 'Terminated', line: 1 });
    assert.equal(result.ok ? '' : result.error.code, 'history-unavailable');
    assert.match(result.ok ? '' : result.error.message, /disk full/);
    assert.equal(board.table, before);
    assert.deepEqual(changes, []);
  });

  it('journals the call each transition leaves on its line, and nothing for a line selection', () => {
    const writes: LineWrite[] = [];
    const { board } = switchboard(2, {
      journal: (write) => {
        writes.push(write);
        return ok(null);
      },
    });
    board.report({ kind: 'Incoming', line: 2, number: '100' });
    board.report({ kind: 'Established', line: 2 });
    board.report({ kind: 'LineSelected', line: 2 });
    board.report({ kind: 'Established', line: 2 });
    board.report({ kind: 'Incoming', line: 2, number: '200' });
    assert.deepEqual(
      writes.map(({ line, call, ended }) => [line, call?.phase, call?.number, ended.length]),
      [
        [2, 'ringing', '100', 0],
        [2, 'established', '100', 0],
        [2, 'ringing', '200', 1],
      ],
    );
  });

  it('refuses a transition the journal cannot store, so the table never runs ahead of the disk', () => {
    const { board } = switchboard(1, { journal: () => err('read-only file system') });
    const result = board.report({ kind: 'Incoming', line: 1, number: '100' });
    assert.equal(result.ok ? '' : result.error.code, 'history-unavailable');
    assert.equal(board.table.lines[0]?.call, null);
  });

  it('tells what changed: the event, the line, the call before and after, and what ended', () => {
    const { board } = switchboard(2);
    const changes: LineChange[] = [];
    board.changed.on((change) => changes.push(change));
    board.report({ kind: 'Incoming', line: 2, number: '100' });
    board.report({ kind: 'Incoming', line: 2, number: '100' });
    board.report({ kind: 'Established', line: 2 });
    board.report({ kind: 'Incoming', line: 2, number: '200' });
    assert.equal(changes.length, 3, 'a repeated event is not a change');
    const [ring, answer, next] = changes;
    assert.ok(ring && answer && next);
    assert.deepEqual(
      [ring.line, ring.before, ring.after?.phase, ring.ended],
      [2, null, 'ringing', []],
    );
    assert.equal(answer.before?.phase, 'ringing');
    assert.equal(answer.after?.phase, 'established');
    assert.equal(answer.after.id, ring.after?.id);
    assert.equal(next.before?.id, ring.after?.id);
    assert.equal(next.after?.number, '200');
    assert.deepEqual(
      next.ended.map((record) => [record.id, record.outcome]),
      [[ring.after?.id, 'answered']],
    );
    assert.equal(next.table, board.table);
  });

  it('shows a backend whose status changes, and refuses its commands while it is unavailable', async () => {
    const backend = recordingBackend([]);
    const { board } = switchboard(1, { backend: backend.create });
    const views: string[] = [];
    board.linesChanged.on((view) => views.push(view.backend.status.state));
    backend.setStatus({
      state: { state: 'unavailable', summary: 'Not registered', reason: 'server unreachable' },
      capabilities: new Set(),
    });
    assert.deepEqual(views, ['unavailable']);
    assert.deepEqual(board.view().capabilities, []);
    const refused = await board.execute({ kind: 'MakeCall', number: '100' });
    assert.deepEqual(refused.ok ? null : refused.error, {
      code: 'backend-unavailable',
      message: 'server unreachable',
    });
  });

  it('refuses an event whose parties hold invisible characters, from any source', () => {
    const { board } = switchboard(1);
    for (const callerId of ['Bank\u200B', '\u202EknaB', 'A\u00ADB', 'tag\u{E0041}']) {
      const result = board.report({ kind: 'Incoming', line: 1, number: '100', callerId });
      assert.equal(result.ok ? '' : result.error.code, 'invalid-event', JSON.stringify(callerId));
      assert.match(result.ok ? '' : result.error.message, /callerId holds U\+[0-9A-F]{4,5}/);
    }
    assert.equal(board.table.lines[0]?.call, null);
  });

  it('answers a command the backend cannot do with a clear error and changes nothing', async () => {
    const { board } = switchboard(2);
    board.report({ kind: 'Incoming', line: 1, number: '100' });
    const before = board.table;
    const result = await board.execute({ kind: 'Answer', line: 1 });
    assert.deepEqual(result, {
      ok: false,
      error: {
        code: 'not-capable',
        kind: 'Answer',
        message: 'Answer is not available with the pbx-events extension type',
      },
    });
    assert.equal(board.table, before);
  });

  it('selects a line through the PBX-events backend', async () => {
    const { board } = switchboard(3);
    assert.deepEqual(await board.execute({ kind: 'SelectLine', line: 3 }), ok(null));
    assert.equal(board.table.selected, 3);
  });

  it('routes commands it may carry out to the backend, refusing lines that do not exist', async () => {
    const executed: Command[] = [];
    const { board } = switchboard(2, { backend: recordingBackend(executed).create });
    await board.execute({ kind: 'Hold', line: 2 });
    const refused = await board.execute({ kind: 'Hold', line: 5 });
    assert.equal(refused.ok ? null : refused.error.code, 'no-such-line');
    assert.deepEqual(executed, [{ kind: 'Hold', line: 2 }]);
  });

  it('dials every number through the dialling rule, whichever door sent it', async () => {
    const executed: Command[] = [];
    const { board } = switchboard(2, { backend: recordingBackend(executed).create });
    await board.execute({ kind: 'MakeCall', number: '020 7946 0018' });
    board.setDefaultCountry('GB');
    await board.execute({ kind: 'MakeCall', number: '020 7946 0018' });
    await board.execute({ kind: 'MakeCall', number: ' 1002 ' });
    await board.execute({ kind: 'Transfer', line: 1, target: '+49 (611) 234-567' });
    await board.execute({ kind: 'Divert', line: 1, target: 'sip:bob@pbx.example' });
    assert.deepEqual(executed, [
      { kind: 'MakeCall', number: '02079460018' },
      { kind: 'MakeCall', number: '+442079460018' },
      { kind: 'MakeCall', number: '1002' },
      { kind: 'Transfer', line: 1, target: '+49611234567' },
      { kind: 'Divert', line: 1, target: 'sip:bob@pbx.example' },
    ]);
  });

  it('puts the tag of a MakeCall on the call it places, and on no other', async () => {
    const executed: Command[] = [];
    const { board, stored } = switchboard(3, {
      backend: recordingBackend(executed, { placesCalls: true }).create,
    });
    await board.execute({ kind: 'MakeCall', number: '187', tag: 'Order 1234' });
    await board.execute({ kind: 'MakeCall', number: '200' });
    const calls = board.table.lines.map((entry) => entry.call);
    assert.deepEqual(
      calls.map((call) => call?.tag),
      ['Order 1234', undefined, undefined],
    );
    // A Dialing outside any MakeCall (a call placed at a desk phone) takes no tag.
    board.report({ kind: 'Dialing', line: 3, number: '300' });
    assert.equal(Object.hasOwn(board.table.lines[2]?.call ?? {}, 'tag'), false);
    board.report({ kind: 'Terminated', line: 1 });
    assert.equal(stored[0]?.tag, 'Order 1234');
  });

  it('gives each of two MakeCalls under way its own call, in the order they were sent', async () => {
    const released: (() => void)[] = [];
    let report: ReportEvent = () => ok(null);
    let dialled = 0;
    // A backend whose engine answers later (the SIP engine in a page): each call dials on
    // its own line when released, before its MakeCall is answered.
    const slow = recordingBackend([]);
    const { board } = switchboard(2, {
      backend: (given) => {
        report = given;
        const backend = slow.create(given);
        return {
          ...backend,
          execute: (command) =>
            new Promise((resolve) => {
              released.push(() => {
                if (command.kind === 'MakeCall') {
                  dialled += 1;
                  report({ kind: 'Dialing', line: dialled, number: command.number });
                }
                resolve(ok(null));
              });
            }),
        };
      },
    });
    const first = board.execute({ kind: 'MakeCall', number: '100' });
    const second = board.execute({ kind: 'MakeCall', number: '200', tag: 'B' });
    await Promise.resolve();
    for (const release of released) release();
    await Promise.all([first, second]);
    assert.deepEqual(
      board.table.lines.map((entry) => [entry.call?.number, entry.call?.tag]),
      [
        ['100', undefined],
        ['200', 'B'],
      ],
    );
  });

  it('stores every call it was told about exactly once (property)', () => {
    const line = fc.integer({ min: 1, max: 4 });
    const event: fc.Arbitrary<CallEvent> = fc.oneof(
      fc.record({
        kind: fc.constant('Incoming' as const),
        line,
        number: fc.constantFrom('1', '2'),
      }),
      fc.record({ kind: fc.constant('Established' as const), line }),
      fc.record({ kind: fc.constant('Held' as const), line }),
      fc.record({ kind: fc.constant('Terminated' as const), line }),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        const { board, stored } = switchboard(3);
        const seen = new Set<string>();
        for (const next of [
          ...events,
          ...[1, 2, 3].map((n) => ({ kind: 'Terminated' as const, line: n })),
        ]) {
          board.report(next);
          for (const entry of board.table.lines) if (entry.call) seen.add(entry.call.id);
        }
        const ids = stored.map((record) => record.id);
        assert.equal(new Set(ids).size, ids.length, 'a call was stored twice');
        assert.deepEqual(new Set(ids), seen, 'a call that was on a line was never stored');
        assert.ok(board.table.lines.every((entry) => entry.call === null));
      }),
      { numRuns: 300 },
    );
  });
});
