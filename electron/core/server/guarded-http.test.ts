import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { GuardedHttp, type GuardedHttpOptions, type Refusal } from './guarded-http.ts';
import type { PortLimits } from './port-policy.ts';
import { TEST, eventually, within } from './server.test-support.ts';
import {
  exchange,
  goodRequest,
  stubborn,
  answerWhileHalfOpen,
  upgradeRequest,
} from './attack.test-support.ts';
import { httpRequest } from '../core.test-support.ts';

interface Serving {
  readonly guarded: GuardedHttp;
  readonly port: number;
  readonly refusals: Refusal[];
  /** `METHOD target` of every request the handler saw. */
  readonly handled: string[];
  stop(): Promise<void>;
}

async function serve(
  options: Partial<Omit<GuardedHttpOptions, 'policy'>> & { limits?: Partial<PortLimits> } = {},
): Promise<Serving> {
  const refusals: Refusal[] = [];
  const handled: string[] = [];
  const opened = await GuardedHttp.open({
    policy: {
      port: 0,
      allowFrom: [],
      hostNames: [],
      ...(options.limits ? { limits: options.limits } : {}),
    },
    onRefused: (refusal) => refusals.push(refusal),
    handle: (request, response) => {
      handled.push(`${request.method ?? ''} ${request.url ?? ''}`);
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('OK\n');
    },
    ...options,
  });
  assert.ok(opened.ok, opened.ok ? '' : opened.error);
  const guarded = opened.value;
  return {
    guarded,
    port: guarded.port,
    refusals,
    handled,
    stop: () => within(guarded.close(), 'closing the guarded server'),
  };
}

const clicked = {
  'sec-fetch-site': 'cross-site',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-user': '?1',
  'sec-fetch-dest': 'document',
};

describe('guarded http: the guards', () => {
  it('binds to loopback and changes host names in place, not the bind address', TEST, async () => {
    const serving = await serve();
    try {
      assert.equal(serving.guarded.address, '127.0.0.1');
      const named = { host: `pc-reception:${serving.port}` };
      assert.equal((await httpRequest(serving.port, '/', named)).status, 403);
      const policy = serving.guarded.policy;
      assert.equal(serving.guarded.setPolicy({ ...policy, allowFrom: ['192.168.1.20'] }), false);
      assert.equal(serving.guarded.setPolicy({ ...policy, hostNames: ['pc-reception'] }), true);
      assert.equal((await httpRequest(serving.port, '/', named)).status, 200);
    } finally {
      await serving.stop();
    }
  });

  it('refuses every Host that is not this computer with this port', TEST, async () => {
    const serving = await serve();
    const { port } = serving;
    try {
      for (const host of [`127.0.0.1:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
        assert.equal((await httpRequest(port, '/', { host })).status, 200, host);
      }
      const foreign = [
        `evil.example:${port}`,
        `127.0.0.1:${port}.evil.example`,
        `127.0.0.1:${port + 1}`,
        `127.0.0.2:${port}`,
        `0.0.0.0:${port}`,
        `127.0.0.1`,
        `localhost`,
        `localhost.:${port}`,
        `user@127.0.0.1:${port}`,
        `127.0.0.1:0${port}`,
        `[::ffff:127.0.0.1]:${port}`,
        `2130706433:${port}`,
        `127.1:${port}`,
      ];
      for (const host of foreign) {
        const answer = await httpRequest(port, '/', { host });
        assert.equal(answer.status, 403, host);
        assert.match(answer.body, /is not this computer/, host);
      }
      assert.equal(serving.handled.length, 3);
      assert.equal(serving.refusals.length, foreign.length);
      assert.ok(serving.refusals.every((refusal) => refusal.status === 403));
    } finally {
      await serving.stop();
    }
  });

  it('refuses what a web page fires; the listen port lets one clicked link in', TEST, async () => {
    const strict = await serve();
    const lenient = await serve({ crossSite: 'clicked-navigation' });
    try {
      for (const serving of [strict, lenient]) {
        const { port } = serving;
        assert.equal(
          (await httpRequest(port, '/', { origin: 'https://evil.example' })).status,
          403,
        );
        assert.equal(
          (await httpRequest(port, '/', { origin: `http://127.0.0.1:${port + 1}` })).status,
          403,
        );
        const sameSite = { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'no-cors' };
        assert.equal((await httpRequest(port, '/', sameSite)).status, 403);
        const framed = { ...clicked, 'sec-fetch-dest': 'iframe' };
        assert.equal((await httpRequest(port, '/', framed)).status, 403, 'a click into a frame');
        assert.equal(
          (await httpRequest(port, '/', { origin: `http://localhost:${port}` })).status,
          200,
        );
      }
      assert.equal((await httpRequest(strict.port, '/', clicked)).status, 403);
      assert.equal((await httpRequest(lenient.port, '/', clicked)).status, 200);
    } finally {
      await strict.stop();
      await lenient.stop();
    }
  });

  it('lets one clicked navigation in per interval, however many a page fires', TEST, async () => {
    const serving = await serve({
      crossSite: 'clicked-navigation',
      limits: { clickedNavigationIntervalMs: 500 },
    });
    try {
      const burst = await Promise.all(
        Array.from({ length: 190 }, () => httpRequest(serving.port, '/telephony', clicked)),
      );
      const statuses = burst.map((answer) => answer.status);
      assert.equal(statuses.filter((status) => status === 200).length, 1);
      assert.equal(statuses.filter((status) => status === 429).length, 189);
      assert.ok(burst.every((answer) => answer.status === 200 || answer.headers['retry-after']));
      // No event says an interval has passed: waiting it out is the test.
      await delay(500);
      assert.equal((await httpRequest(serving.port, '/telephony', clicked)).status, 200);
      assert.equal(serving.handled.length, 2);
    } finally {
      await serving.stop();
    }
  });

  it('answers 400 to a request line without a version and 505 to HTTP/2', TEST, async () => {
    const serving = await serve();
    const { port } = serving;
    const host = `Host: 127.0.0.1:${port}\r\n`;
    try {
      const cases: [string, number][] = [
        ['GET /telephony?l=1&n=1&a=i\r\n\r\n', 400],
        [`GET /telephony?l=1&n=1&a=i\r\n${host}\r\n`, 400],
        [`GET /telephony?l=1&n=1&a=i HTTP/0.9\r\n${host}\r\n`, 400],
        [`GET /telephony?l=1&n=1&a=i HTTP/2.0\r\n${host}\r\n`, 505],
        [`GET /telephony?l=1&n=1&a=i HTTP/2.1\r\n${host}\r\n`, 505],
        [`GET /telephony?l=1&n=1&a=i HTTP/3.0\r\n${host}\r\n`, 505],
        ['PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 505],
        [`GET /telephony?l=1&n=1&a=i HTTP/1.1\n${host}\n`, 400],
      ];
      for (const [text, status] of cases) {
        const answer = await exchange(port, text);
        assert.equal(answer.status, status, JSON.stringify(text));
        assert.ok(answer.closedByServer, JSON.stringify(text));
        assert.match(answer.response, /\r\n\r\n.+/s, 'a reason in the body');
      }
      assert.deepEqual(serving.handled, []);
      assert.equal((await exchange(port, goodRequest(port))).status, 200);
    } finally {
      await serving.stop();
    }
  });

  it('refuses requests that could be smuggled past a proxy', TEST, async () => {
    const serving = await serve();
    const { port } = serving;
    const start = `GET /telephony?l=1&n=1&a=i HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`;
    try {
      for (const text of [
        `${start}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
        `${start}Content-Length: 1\r\nContent-Length: 2\r\n\r\nab`,
        `${start}Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n`,
        `${start}X-Folded: a\r\n b\r\n\r\n`,
        `${start}Host: evil.example\r\n\r\n`,
        `GET /telephony HTTP/1.1\r\nHost: evil.example\r\nHost: 127.0.0.1:${port}\r\n\r\n`,
        `${start}X\u0000: a\r\n\r\n`,
      ]) {
        const answer = await exchange(port, text);
        assert.equal(answer.status, 400, JSON.stringify(text));
        assert.ok(answer.closedByServer);
      }
      assert.deepEqual(serving.handled, []);
    } finally {
      await serving.stop();
    }
  });

  it('answers 408 to a client too slow to finish its headers, and closes it', TEST, async () => {
    const serving = await serve({ limits: { headersTimeoutMs: 300 } });
    try {
      const slow = `GET /telephony HTTP/1.1\r\nHost: 127.0.0.1:${serving.port}\r\n`;
      const answer = await exchange(serving.port, slow, 3_000);
      assert.equal(answer.status, 408);
      assert.ok(answer.closedByServer);
      assert.ok(answer.elapsedMs < 1_500, `cut after ${Math.round(answer.elapsedMs)} ms`);
      assert.equal(serving.refusals[0]?.status, 408);
    } finally {
      await serving.stop();
    }
  });

  it('destroys refused connections whose clients neither read nor close', TEST, async () => {
    const serving = await serve();
    const held = [];
    try {
      // More than the 32 slots; old code answered with end() and kept each half open.
      for (let count = 0; count < 40; count++) {
        held.push(await stubborn(serving.port, 'garbage garbage\r\n\r\n'));
      }
      const gone = await eventually(() =>
        Promise.resolve(serving.guarded.connections().served === 0),
      );
      assert.ok(gone, `still held: ${JSON.stringify(serving.guarded.connections())}`);
      const answer = await exchange(serving.port, goodRequest(serving.port), 2_000);
      assert.equal(answer.status, 200);
      assert.ok(answer.elapsedMs < 500, `answered after ${Math.round(answer.elapsedMs)} ms`);
      assert.equal(serving.refusals.filter((refusal) => refusal.status === 400).length, 40);
    } finally {
      for (const socket of held) socket.destroy();
      await serving.stop();
    }
  });
});

describe('guarded http: upgrades', () => {
  it('applies the guards before the upgrade hook, and closes every refusal', TEST, async () => {
    const seen: string[] = [];
    const serving = await serve({
      upgrade: (request, socket) => {
        seen.push(request.url ?? '');
        if (request.url?.includes('token=good')) {
          socket.end(
            'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
          );
          return null;
        }
        return 'missing or wrong token';
      },
    });
    const { port } = serving;
    try {
      const forged = upgradeRequest(port, 'good').replace(
        `Host: 127.0.0.1:${port}`,
        'Host: evil.example',
      );
      const rebound = await exchange(port, forged);
      assert.equal(rebound.status, 403);
      assert.match(rebound.response, /is not this computer/);
      const crossSite = upgradeRequest(port, 'good').replace(
        `Origin: http://127.0.0.1:${port}`,
        'Origin: https://evil.example',
      );
      assert.equal((await exchange(port, crossSite)).status, 403);
      assert.deepEqual(seen, [], 'the hook never saw those');

      // The hook's own refusal closes the connection even when the peer keeps its half open.
      const refused = await answerWhileHalfOpen(port, upgradeRequest(port, 'bad'));
      assert.match(refused, /^HTTP\/1\.1 403 [^]*wrong token/);
      assert.equal((await exchange(port, upgradeRequest(port, 'good'))).status, 101);
      assert.deepEqual(seen, ['/bridge?token=bad', '/bridge?token=good']);
    } finally {
      await serving.stop();
    }
  });
});
