import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Socket } from 'node:net';
import type { BridgeHost } from '../../../shared/bridge/contract.ts';
import type { WebSocket } from 'ws';
import {
  TEST,
  within,
  start,
  eventually,
  open,
  invoke,
  assertSnapshot,
  replies,
  closed,
  withFault,
} from './server.test-support.ts';
import { tcp, exchange } from './attack.test-support.ts';
import { httpRequest } from '../core.test-support.ts';

function request(client: WebSocket, id: number, name = 'snapshot'): void {
  client.send(JSON.stringify({ id, name, request: null }));
}

/** The browser target's local server under faults and at its limits. */
describe('local server: faults and limits', () => {
  it('answers internal when the core throws, and keeps the client', TEST, async (t) => {
    const failing = (bridge: BridgeHost): BridgeHost =>
      withFault(bridge, (name, next) => {
        if (name === 'command') throw new Error('injected fault');
        return next();
      });
    const running = await start(failing);
    const logged = t.mock.method(console, 'error', () => undefined);
    try {
      const client = await open(running);
      const result = await invoke(client, 'command', { kind: 'SelectLine', line: 1 });
      assert.ok(!result.ok);
      assert.equal(result.error.code, 'internal');
      assert.equal(logged.mock.callCount(), 1);
      await assertSnapshot(client);
      client.close();
    } finally {
      await running.stop();
    }
  });

  it('serves past 32 stalled connections, and cuts the stalled ones', TEST, async () => {
    const running = await start();
    const held: Socket[] = [];
    try {
      for (let count = 0; count < 32; count++) {
        const socket = await tcp(running.port);
        socket.on('error', () => undefined);
        socket.resume();
        socket.write('GET / HTTP/1.1\r\n'); // A request that never finishes its headers.
        held.push(socket);
      }
      const cut = held.map(
        (socket) =>
          new Promise<void>((resolve) => {
            socket.once('close', () => {
              resolve();
            });
          }),
      );
      // A complete request takes the slot of one that has stalled past the short grace
      // period given to clients that have just connected; until then it gets a 503.
      const served = await eventually(
        async () => (await httpRequest(running.port, '/')).status === 200,
      );
      assert.ok(served, 'a complete request was not served past the stalled connections');
      // Half the slots taken makes the port busy: one second for headers instead of ten.
      await within(Promise.all(cut), 'the stalled connections being cut', 3_000);
    } finally {
      for (const socket of held) socket.destroy();
      await running.stop();
    }
  });

  it(
    'answers too-many-requests beyond 32 requests awaiting the core, and goes on',
    TEST,
    async () => {
      let release = (): void => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const slow = (bridge: BridgeHost): BridgeHost =>
        withFault(bridge, async (name, next) => {
          if (name === 'snapshot') await gate;
          return next();
        });
      const running = await start(slow);
      try {
        const client = await open(running);
        const refused = replies(client, 8);
        for (let id = 1; id <= 40; id++) request(client, id);
        const early = await refused;
        assert.deepEqual([...early.keys()], [33, 34, 35, 36, 37, 38, 39, 40]);
        for (const result of early.values()) {
          assert.equal(result.ok ? '' : result.error.code, 'too-many-requests');
        }
        const answered = replies(client, 32);
        release();
        assert.ok([...(await answered).values()].every((result) => result.ok));
        assert.equal(running.server.load().peakInFlight, 32);
        await assertSnapshot(client);
        client.close();
      } finally {
        await running.stop();
      }
    },
  );

  it(
    'cuts off a page that sends 10,000 requests and reads nothing; others still get answers',
    { timeout: 60_000 },
    async (t) => {
      const running = await start();
      try {
        // A full integration log (500 entries of 2 kB, as a noisy PBX leaves it) makes each
        // snapshot about 1 MB: 10,000 of them unread was the core running out of memory.
        const status = running.core.doors()['listen-port'];
        const listen = status.state === 'ready' ? (status.endpoint?.port ?? 0) : 0;
        const noisy = `GET /telephony?l=1&n=1&a=i&i=${'x'.repeat(4_500)} HTTP/1.1\r\nHost: 127.0.0.1:${listen}\r\nConnection: close\r\n\r\n`;
        for (let batch = 0; batch < 25; batch++) {
          await Promise.all(Array.from({ length: 20 }, () => exchange(listen, noisy)));
        }
        const watcher = await open(running);
        const snapshot = await invoke(watcher, 'snapshot', null);
        const snapshotBytes = JSON.stringify(snapshot).length;
        assert.ok(snapshotBytes > 1_000_000, `a snapshot of ${snapshotBytes} bytes`);

        let warned = (): void => undefined;
        const cut = new Promise<void>((resolve) => {
          warned = resolve;
        });
        t.mock.method(console, 'warn', () => {
          warned();
        });
        const rssBefore = process.memoryUsage().rss;
        const flood = await open(running);
        flood.pause(); // Its socket too: nothing the server sends is read.
        for (let id = 1; id <= 10_000; id++) request(flood, id);
        await within(cut, 'the server cutting off the page that does not read', 30_000);
        const load = running.server.load();
        const rssGrowth = process.memoryUsage().rss - rssBefore;
        t.diagnostic(`${JSON.stringify(load)}; RSS grew ${Math.round(rssGrowth / 1e6)} MB`);
        assert.equal(load.cut, 1);
        assert.ok(load.peakInFlight <= 32, `peak in flight ${load.peakInFlight}`);
        // Checked after each send: at most the cap plus the one message that crossed it.
        const bound = 4 * 1024 * 1024 + snapshotBytes + 1024;
        assert.ok(load.peakBufferedBytes <= bound, `peak buffered ${load.peakBufferedBytes}`);
        assert.ok(rssGrowth < 512e6, `RSS grew ${Math.round(rssGrowth / 1e6)} MB`);

        await assertSnapshot(watcher);
        flood.resume();
        assert.equal(await closed(flood), 1006);
        assert.equal(running.server.load().pages, 1);
        watcher.close();
      } finally {
        await running.stop();
      }
    },
  );
});
