import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CoreSnapshot } from '../../shared/bridge/contract.ts';
import { defaultSettings } from '../../shared/model/settings.ts';
import { createAppStore } from './app-store.ts';
import { HISTORY_CAPACITY } from './history-slice.ts';

const snapshot = (problem: string | null): CoreSnapshot => ({
  table: { selected: 1, lines: [{ line: 1, call: null }] },
  capabilities: ['SelectLine'],
  backend: { type: 'pbx-events', status: { state: 'connecting', summary: 'starting' } },
  settings: defaultSettings(),
  problem,
  secretsSet: [],
  connectSources: [],
  doors: {
    links: { state: 'off', summary: 'Closed' },
    'listen-port': {
      state: 'ready',
      summary: 'listening on 127.0.0.1:5555',
      readyLine: 'Listen port: 5555',
      endpoint: { address: '127.0.0.1', port: 5555 },
    },
    integra: { state: 'off', summary: 'Off' },
  },
  history: Array.from({ length: HISTORY_CAPACITY + 3 }, (_, index) => ({
    id: `call-${index}`,
    line: 1,
    direction: 'inbound' as const,
    number: '100',
    callerId: '',
    startedAt: 0,
    answeredAt: null,
    endedAt: 1,
    outcome: 'missed' as const,
    reason: null,
  })),
  log: [],
  prompts: [],
});

describe('applySnapshot', () => {
  it('fills every slice in one update, cut to what the store keeps', () => {
    const store = createAppStore();
    let updates = 0;
    store.subscribe(() => {
      updates += 1;
    });
    store.getState().applySnapshot(snapshot('settings.json is not JSON'));
    const state = store.getState();
    assert.equal(updates, 1);
    assert.equal(state.linesView.table.lines.length, 1);
    assert.equal(state.backend?.status.state, 'connecting');
    assert.equal(state.doors?.['listen-port'].summary, 'listening on 127.0.0.1:5555');
    assert.equal(state.settingsView?.problem, 'settings.json is not JSON');
    assert.equal(state.history.length, HISTORY_CAPACITY);
  });

  it('drops a save that was in flight when the link dropped, and keeps a finished one', () => {
    const store = createAppStore();
    store.getState().settingsSaving();
    store.getState().applySnapshot(snapshot(null));
    assert.deepEqual(store.getState().save, { status: 'idle' });
    store.getState().settingsSaved({
      settings: defaultSettings(),
      problem: null,
      secretsSet: [],
      connectSources: [],
    });
    store.getState().applySnapshot(snapshot(null));
    assert.deepEqual(store.getState().save, { status: 'saved' });
  });

  it('takes later doors events as they come', () => {
    const store = createAppStore();
    store.getState().applySnapshot(snapshot(null));
    store.getState().applyDoors({
      links: { state: 'off', summary: 'Closed' },
      'listen-port': { state: 'failed', summary: 'not listening', error: 'port 5555 is in use' },
      integra: { state: 'off', summary: 'Off' },
    });
    assert.equal(store.getState().doors?.['listen-port'].state, 'failed');
  });
});
