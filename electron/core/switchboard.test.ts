import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { BridgeError } from '../../shared/bridge/contract.ts';
import { COMMAND_KINDS, type Command } from '../../shared/model/command.ts';
import type { HistoryRecord } from '../../shared/model/line-table.ts';
import { ok, type Result } from '../../shared/result.ts';
import type { Backend, BackendFactory } from './backends/backend.ts';
import { createPbxEventsBackend } from './backends/pbx-events.ts';
import { Switchboard } from './switchboard.ts';

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

describe('Switchboard', () => {
  it('writes history before it tells anyone the line is idle', () => {
    const board = new Switchboard({ lines: 2, backend: createPbxEventsBackend });
    const order: string[] = [];
    board.callEnded.on(() => order.push('ended'));
    board.linesChanged.on((view) =>
      order.push(`lines:${view.table.lines[0]?.call ? 'busy' : 'idle'}`),
    );
    board.report({ kind: 'Incoming', line: 1, number: '100' });
    board.report({ kind: 'Terminated', line: 1 });
    assert.deepEqual(order, ['lines:busy', 'ended', 'lines:idle']);
  });

  it('announces a ringing call once, not on every repeat', () => {
    const board = new Switchboard({ lines: 1, backend: createPbxEventsBackend });
    const rings: string[] = [];
    board.callRinging.on(({ call }) => rings.push(call.number));
    board.report({ kind: 'Incoming', line: 1, number: '100' });
    board.report({ kind: 'Incoming', line: 1, number: '100' });
    board.report({ kind: 'Incoming', line: 1, number: '200' });
    assert.deepEqual(rings, ['100', '200']);
  });

  it('answers a command the backend cannot do with a clear error and changes nothing', async () => {
    const board = new Switchboard({ lines: 2, backend: createPbxEventsBackend });
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
    const board = new Switchboard({ lines: 3, backend: createPbxEventsBackend });
    assert.deepEqual(await board.execute({ kind: 'SelectLine', line: 3 }), ok(null));
    assert.equal(board.table.selected, 3);
  });

  it('routes commands it may carry out to the backend, refusing lines that do not exist', async () => {
    const executed: Command[] = [];
    const board = new Switchboard({ lines: 2, backend: recordingBackend(executed) });
    await board.execute({ kind: 'Hold', line: 2 });
    const refused = await board.execute({ kind: 'Hold', line: 5 });
    assert.equal(refused.ok, false);
    assert.deepEqual(executed, [{ kind: 'Hold', line: 2 }]);
  });

  it('refuses pushed events when the backend has signalling of its own', () => {
    const board = new Switchboard({ lines: 1, backend: recordingBackend([]) });
    const result = board.pushed({ kind: 'Incoming', line: 1, number: '1' });
    assert.equal(result.ok, false);
    assert.equal(board.table.lines[0]?.call, null);
  });

  it('never reports a call ended twice and ends every call it was told about (property)', () => {
    const event = fc.oneof(
      fc.record({
        kind: fc.constant('Incoming' as const),
        line: fc.integer({ min: 1, max: 4 }),
        number: fc.constantFrom('1', '2'),
      }),
      fc.record({
        kind: fc.constant('Established' as const),
        line: fc.integer({ min: 1, max: 4 }),
      }),
      fc.record({ kind: fc.constant('Terminated' as const), line: fc.integer({ min: 1, max: 4 }) }),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        const board = new Switchboard({ lines: 3, backend: createPbxEventsBackend });
        const ended: HistoryRecord[] = [];
        board.callEnded.on((record) => ended.push(record));
        for (const e of events) board.report(e);
        for (const line of [1, 2, 3]) board.report({ kind: 'Terminated', line });
        const started = new Set(ended.map((record) => record.id));
        assert.equal(started.size, ended.length);
        assert.ok(board.table.lines.every((line) => line.call === null));
      }),
      { numRuns: 200 },
    );
  });
});
