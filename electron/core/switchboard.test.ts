import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { BridgeError } from '../../shared/bridge/contract.ts';
import type { CallEvent } from '../../shared/model/call-event.ts';
import { COMMAND_KINDS, type Command } from '../../shared/model/command.ts';
import type { HistoryRecord } from '../../shared/model/line-table.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import type { Backend, BackendFactory } from './backends/backend.ts';
import { createPbxEventsBackend } from './backends/pbx-events.ts';
import { Switchboard, type SwitchboardOptions } from './switchboard.ts';

/** A backend that can do everything and remembers what it was asked, for routing tests. */
function recordingBackend(executed: Command[]): BackendFactory {
  return (): Backend => ({
    type: 'pbx-events',
    capabilities: new Set(COMMAND_KINDS),
    acceptsPushedEvents: false,
    execute(command): Promise<Result<null, BridgeError>> {
      executed.push(command);
      return Promise.resolve(ok(null));
    },
    close: () => Promise.resolve(),
  });
}

/** A switchboard whose history is an array (the real store has tests of its own). */
function switchboard(lines: number, options: Partial<SwitchboardOptions> = {}) {
  const stored: HistoryRecord[] = [];
  const board = new Switchboard({
    lines,
    backend: createPbxEventsBackend,
    record: (record) => {
      stored.push(record);
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
      record: () => {
        order.push('stored');
        return ok(null);
      },
    });
    board.callEnded.on(() => order.push('ended'));
    board.linesChanged.on((view) =>
      order.push(`lines:${view.table.lines[0]?.call ? 'busy' : 'idle'}`),
    );
    board.report({ kind: 'Incoming', line: 1, number: '100' });
    board.report({ kind: 'Terminated', line: 1 });
    assert.deepEqual(order, ['lines:busy', 'stored', 'ended', 'lines:idle']);
  });

  it('keeps the call on its line when the history cannot store it', () => {
    const { board } = switchboard(1, { record: () => err('disk full') });
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

  it('announces a ringing call once, not on every repeat', () => {
    const { board } = switchboard(1);
    const rings: string[] = [];
    board.callRinging.on(({ call }) => rings.push(call.number));
    board.report({ kind: 'Incoming', line: 1, number: '100' });
    board.report({ kind: 'Incoming', line: 1, number: '100' });
    board.report({ kind: 'Incoming', line: 1, number: '200' });
    assert.deepEqual(rings, ['100', '200']);
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
    const { board } = switchboard(2, { backend: recordingBackend(executed) });
    await board.execute({ kind: 'Hold', line: 2 });
    const refused = await board.execute({ kind: 'Hold', line: 5 });
    assert.equal(refused.ok, false);
    assert.deepEqual(executed, [{ kind: 'Hold', line: 2 }]);
  });

  it('refuses pushed events when the backend has signalling of its own', () => {
    const { board } = switchboard(1, { backend: recordingBackend([]) });
    const result = board.pushed({ kind: 'Incoming', line: 1, number: '1' });
    assert.equal(result.ok, false);
    assert.equal(board.table.lines[0]?.call, null);
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
