import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Call, LineTable } from '../../shared/model/line-table.ts';
import { isLineFree, pickLine } from './line-picker.ts';

const ringing: Call = {
  id: 'c1',
  direction: 'inbound',
  number: '1001',
  callerId: '',
  startedAt: 0,
  ref: 'abc@pbx',
  phase: 'ringing',
};

/** Lines 1..count; those in `busy` carry a call in the core's table. */
const table = (count: number, busy: readonly number[] = [], selected = 1): LineTable => ({
  selected,
  lines: Array.from({ length: count }, (_, index) => ({
    line: index + 1,
    call: busy.includes(index + 1) ? ringing : null,
  })),
});

describe('pickLine', () => {
  it('takes the first line that is idle in the table and not held by the engine', () => {
    assert.equal(pickLine(table(3), new Set()), 1);
    assert.equal(pickLine(table(3, [1]), new Set()), 2);
    // The core has not shown line 2 busy yet, but the engine's own call is on it.
    assert.equal(pickLine(table(3, [1]), new Set([2])), 3);
  });

  it('answers null when every line is busy, so the INVITE gets 486', () => {
    assert.equal(pickLine(table(2, [1, 2]), new Set()), null);
    assert.equal(pickLine(table(2, [1]), new Set([2])), null);
    assert.equal(pickLine(table(0), new Set()), null);
  });

  it('prefers the line asked for when it is free', () => {
    assert.equal(pickLine(table(3), new Set(), 3), 3);
    assert.equal(pickLine(table(3, [3]), new Set(), 3), 1);
    assert.equal(pickLine(table(3), new Set([3]), 3), 1);
    assert.equal(pickLine(table(3), new Set(), 9), 1);
  });

  it('knows whether a named line is free', () => {
    assert.equal(isLineFree(table(2, [1]), new Set(), 1), false);
    assert.equal(isLineFree(table(2, [1]), new Set(), 2), true);
    assert.equal(isLineFree(table(2), new Set([2]), 2), false);
  });

  it('only ever picks a line that exists, is idle and is not taken', () => {
    const input = fc.record({
      count: fc.integer({ min: 0, max: 8 }),
      busy: fc.uniqueArray(fc.integer({ min: 1, max: 8 })),
      taken: fc.uniqueArray(fc.integer({ min: 1, max: 8 })),
      prefer: fc.option(fc.integer({ min: 1, max: 9 })),
    });
    fc.assert(
      fc.property(input, ({ count, busy, taken, prefer }) => {
        const lines = table(count, busy);
        const picked = pickLine(lines, new Set(taken), prefer);
        const free = lines.lines
          .map((entry) => entry.line)
          .filter((line) => !busy.includes(line) && !taken.includes(line));
        if (picked === null) assert.deepEqual(free, []);
        else assert.ok(free.includes(picked));
      }),
    );
  });
});
