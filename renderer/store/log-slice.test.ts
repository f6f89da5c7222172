import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LogEntry } from '../../shared/model/integration-log.ts';
import { createAppStore } from './app-store.ts';
import { selectLogFor } from './log-slice.ts';

const entry = (id: number, source: string): LogEntry =>
  // Only the listen port exists yet; a second door's entries come over the wire like this.
  JSON.parse(
    JSON.stringify({
      id,
      at: id,
      source,
      direction: 'in',
      session: null,
      from: '127.0.0.1',
      raw: 'GET /telephony?l=1&a=i',
      reading: 'incoming call on line 1',
      error: null,
      outcome: 'line 1 is ringing',
    }),
  ) as LogEntry;

describe('selectLogFor', () => {
  it("keeps one door's entries, newest first, and all of them for 'all'", () => {
    const store = createAppStore();
    const { addLogEntry } = store.getState();
    addLogEntry(entry(1, 'listen-port'));
    addLogEntry(entry(2, 'command-port'));
    addLogEntry(entry(3, 'listen-port'));
    const state = store.getState();
    assert.deepEqual(
      selectLogFor('listen-port')(state).map(({ id }) => id),
      [3, 1],
    );
    assert.equal(selectLogFor('all')(state), state.log);
  });

  it('hands out the same list until the log changes, so React does not re-render', () => {
    const store = createAppStore();
    store.getState().addLogEntry(entry(1, 'listen-port'));
    const select = selectLogFor('listen-port');
    const first = select(store.getState());
    store.getState().linkLive();
    assert.equal(selectLogFor('listen-port')(store.getState()), first);
    store.getState().addLogEntry(entry(2, 'listen-port'));
    const second = select(store.getState());
    assert.notEqual(second, first);
    assert.deepEqual(
      second.map(({ id }) => id),
      [2, 1],
    );
  });
});
