import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EVENT_NAMES } from '../../shared/bridge/contract.ts';
import { parseWireMessage } from './wire-parse.ts';

/** The browser target's frames: page events travel as events, so `client.on` gets them. */
describe('parseWireMessage', () => {
  it('passes the events meant for one page, like broadcast ones', () => {
    assert.ok(EVENT_NAMES.includes('engine') && EVENT_NAMES.includes('engineRole'));
    const call = { id: 7, request: { kind: 'stop' } };
    for (const [name, payload] of [
      ['engine', call],
      ['engineRole', { hosting: true }],
      ['lines', { table: { lines: [] } }],
    ] as const) {
      const text = JSON.stringify({ type: 'event', name, payload });
      assert.deepEqual(parseWireMessage(text), { type: 'event', name, payload });
    }
  });

  it('drops events of no channel and frames that are not messages', () => {
    for (const text of [
      JSON.stringify({ type: 'event', name: 'engineOffer', payload: null }),
      JSON.stringify({ type: 'event', name: 'toString', payload: null }),
      JSON.stringify({ type: 'reply', id: 'one', result: { ok: true, value: null } }),
      'not json',
    ]) {
      assert.equal(parseWireMessage(text), null, text);
    }
  });
});
