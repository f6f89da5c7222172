import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionTable } from './connection-table.ts';
import { DEFAULT_LIMITS, type PortLimits, type PortPolicy } from './port-policy.ts';

const limits: PortLimits = {
  ...DEFAULT_LIMITS,
  maxConnections: 4,
  maxConnectionsPerPeer: 2,
  reservedForAllowed: 1,
  maxOverflow: 2,
  headersTimeoutMs: 5_000,
  busyHeadersTimeoutMs: 1_000,
  keepAliveMs: 3_000,
  evictGraceMs: 100,
};
const local: PortPolicy = { port: 0, allowFrom: [], hostNames: [] };
const withPbx: PortPolicy = { ...local, allowFrom: ['10.0.0.5', '10.0.0.6'] };

/** The rules of who holds a slot, without sockets: keys are names, times are numbers. */
describe('connection table', () => {
  it('fills the slots, then overflow, then refuses outright', () => {
    const table = new ConnectionTable<string>(local, limits);
    for (const key of ['a', 'b', 'c', 'd']) assert.equal(table.admit(key, 'lo', true, 0), 'served');
    assert.equal(table.admit('e', 'lo', true, 0), 'overflow');
    assert.equal(table.admit('f', 'lo', true, 0), 'overflow');
    assert.equal(table.admit('g', 'lo', true, 0), 'full');
    assert.deepEqual(table.counts(), { served: 4, overflow: 2 });
  });

  it('gives a complete request the slot of the longest-waiting incomplete one', () => {
    const table = new ConnectionTable<string>(local, limits);
    for (const [key, at] of [
      ['a', 0],
      ['b', 10],
      ['c', 20],
      ['d', 30],
    ] as const) {
      table.admit(key, 'lo', true, at);
    }
    table.admit('good', 'lo', true, 40);
    // Within the grace period nobody is pushed out: they may be about to send.
    assert.deepEqual(table.requestStarted('good', 50), { served: false, evicted: null });
    table.remove('good');
    table.admit('good2', 'lo', true, 200);
    assert.deepEqual(table.requestStarted('good2', 200), { served: true, evicted: 'a' });
    assert.equal(table.phase('a'), 'refusing');
    assert.deepEqual(table.counts(), { served: 4, overflow: 0 });
  });

  it('never pushes out a connection whose request is under way', () => {
    const table = new ConnectionTable<string>(local, limits);
    for (const key of ['a', 'b', 'c', 'd']) {
      table.admit(key, 'lo', true, 0);
      table.requestStarted(key, 0);
    }
    table.admit('late', 'lo', true, 500);
    assert.deepEqual(table.requestStarted('late', 500), { served: false, evicted: null });
  });

  it('keeps slots for allowed PBX addresses and caps each of them', () => {
    const table = new ConnectionTable<string>(withPbx, limits);
    for (const key of ['l1', 'l2', 'l3']) assert.equal(table.admit(key, 'lo', true, 0), 'served');
    assert.equal(table.admit('l4', 'lo', true, 0), 'overflow', 'the last slot is the PBX’s');
    assert.equal(table.admit('p1', '10.0.0.5', false, 0), 'served');
    table.remove('l1');
    table.remove('l4');
    assert.equal(table.admit('p2', '10.0.0.5', false, 0), 'served');
    assert.equal(table.admit('p3', '10.0.0.5', false, 0), 'overflow', 'two per remote peer');
    // At its own cap, a peer's complete request pushes out its own waiting connection.
    assert.deepEqual(table.requestStarted('p3', 500), { served: true, evicted: 'p1' });
  });

  it('cuts the header deadline short while the port is busy', () => {
    const table = new ConnectionTable<string>(local, limits);
    table.admit('a', 'lo', true, 0);
    assert.deepEqual(table.expire(1_500), [], 'quiet: five seconds');
    assert.deepEqual(table.expire(5_000), [{ key: 'a', keptAlive: false }]);
    const busy = new ConnectionTable<string>(local, limits);
    for (const key of ['a', 'b', 'c']) busy.admit(key, 'lo', true, 0);
    assert.equal(busy.expire(1_000).length, 3, 'three of four slots taken: one second');
    assert.deepEqual(busy.expire(2_000), [], 'each is cut once');
  });

  it('gives a kept-alive connection its keep-alive time, and none once taken', () => {
    const table = new ConnectionTable<string>(local, limits);
    table.admit('a', 'lo', true, 0);
    table.requestStarted('a', 0);
    table.requestFinished('a', 100);
    assert.deepEqual(table.expire(3_099), []);
    assert.deepEqual(table.expire(3_100), [{ key: 'a', keptAlive: true }]);
    table.admit('ws', 'lo', true, 0);
    table.requestStarted('ws', 0);
    table.taken('ws');
    assert.deepEqual(table.expire(60_000), []);
    assert.deepEqual(table.counts(), { served: 1, overflow: 0 });
  });
});
