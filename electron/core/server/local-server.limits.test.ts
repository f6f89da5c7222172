import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Socket } from 'node:net';
import type { BridgeHost, InvokeName } from '../../../shared/bridge/contract.ts';
import {
  TEST,
  within,
  start,
  eventually,
  get,
  open,
  invoke,
  assertSnapshot,
  tcp,
} from './server.test-support.ts';

/** The browser target's local server under faults and at its limits. */
describe('local server: faults and limits', () => {
  it('answers internal when the core throws, and keeps the client', TEST, async (t) => {
    const failing = (bridge: BridgeHost): BridgeHost => ({
      on: bridge.on.bind(bridge),
      invoke: <K extends InvokeName>(name: K, request: unknown) => {
        if (name === 'command') throw new Error('injected fault');
        return bridge.invoke(name, request);
      },
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

  it('drops connections beyond its limit, and serves again once they are gone', TEST, async () => {
    const running = await start();
    const held: Socket[] = [];
    try {
      for (let count = 0; count < 32; count++) {
        const socket = await tcp(running.port);
        socket.on('error', () => undefined);
        socket.write('GET / HTTP/1.1\r\n'); // A request that never finishes its headers.
        held.push(socket);
      }
      // Node accepts connections in order: the 33rd is counted after the 32 before it.
      const extra = await tcp(running.port);
      extra.on('error', () => undefined);
      await within(
        new Promise<void>((resolve) => {
          extra.once('close', () => {
            resolve();
          });
        }),
        'the 33rd connection being dropped',
      );
      for (const socket of held.splice(0)) socket.destroy();
      // Served again as soon as the server has seen the closes: asked until then, bounded.
      const served = await eventually(async () => (await get(running.port, '/')).status === 200);
      assert.ok(served, 'the server did not serve again after the held connections closed');
    } finally {
      for (const socket of held) socket.destroy();
      await running.stop();
    }
  });
});
