import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { prependNewest } from './newest-first.ts';

describe('prependNewest', () => {
  it('puts the row first, keeps the list bounded, and ignores a row it already holds', () => {
    const list = [{ id: 2 }, { id: 1 }];
    assert.deepEqual(prependNewest(list, { id: 3 }, 2), [{ id: 3 }, { id: 2 }]);
    assert.equal(prependNewest(list, { id: 1 }, 2), list);
  });
});
