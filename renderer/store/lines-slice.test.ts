import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LinesView } from '../../shared/bridge/contract.ts';
import { createAppStore } from './app-store.ts';

const view = (ringingOn: number | null): LinesView => ({
  table: {
    selected: 1,
    lines: [1, 2, 3].map((line) => ({
      line,
      call:
        line === ringingOn
          ? {
              id: 'call-1',
              direction: 'inbound' as const,
              number: '012345678901',
              callerId: 'Datos',
              startedAt: 1_000,
              ref: null,
              phase: 'ringing' as const,
            }
          : null,
    })),
  },
  capabilities: ['SelectLine'],
  backend: { type: 'pbx-events', status: { state: 'ready', summary: 'ready' } },
});

describe('lines slice', () => {
  it('keeps the objects of lines a new event did not change', () => {
    const store = createAppStore();
    store.getState().applyLines(view(null));
    const before = store.getState().linesView;
    const backendBefore = store.getState().backend;
    // A fresh parse of the same table, then one with a call ringing on line 2.
    store.getState().applyLines(JSON.parse(JSON.stringify(view(null))) as LinesView);
    const same = store.getState().linesView;
    assert.deepEqual(
      same.table.lines.map((line, index) => line === before.table.lines[index]),
      [true, true, true],
    );
    assert.equal(same.capabilities, before.capabilities);
    assert.equal(store.getState().backend, backendBefore);
    store.getState().applyLines(view(2));
    const ringing = store.getState().linesView;
    assert.deepEqual(
      ringing.table.lines.map((line, index) => line === before.table.lines[index]),
      [true, false, true],
    );
    assert.equal(ringing.table.lines[1]?.call?.phase, 'ringing');
  });
});

describe('backend status', () => {
  it('is replaced when the backend reports a change, with the reason it gives', () => {
    const store = createAppStore();
    store.getState().applyLines(view(null));
    const ready = store.getState().backend;
    store.getState().applyLines({
      ...view(null),
      backend: {
        type: 'pbx-events',
        status: { state: 'unavailable', summary: 'unavailable', reason: 'listen port closed' },
      },
    });
    const after = store.getState().backend;
    assert.notEqual(after, ready);
    assert.deepEqual(after?.status, {
      state: 'unavailable',
      summary: 'unavailable',
      reason: 'listen port closed',
    });
  });
});
