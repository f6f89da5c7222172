import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { LogEntry } from '../../../../shared/model/integration-log.ts';
import { ok } from '../../../../shared/result.ts';
import { IntegrationLog } from '../../integration-log.ts';
import { burst, exchange, statusOf, stubborn, tcp } from '../../server/attack.test-support.ts';
import { eventually, within } from '../../server/server.test-support.ts';
import { newToken } from '../../server/token.ts';
import { LocalApi } from './local-api.ts';

const apis: LocalApi[] = [];
after(async () => {
  for (const api of apis) await api.close();
});

/** A local API whose door only counts the links it is handed, with short limits. */
async function openApi() {
  const token = newToken();
  const links: string[] = [];
  const log = new IntegrationLog();
  const entries: LogEntry[] = [];
  log.added.on((entry) => entries.push(entry));
  const opened = await LocalApi.open({
    token,
    log: log.forSource('links'),
    intake: (link) => {
      links.push(link);
      return Promise.resolve(ok({ outcome: 'done' as const, message: `took ${link}` }));
    },
    limits: { maxConnections: 4, requestTimeoutMs: 1_000, headersTimeoutMs: 1_000 },
  });
  if (!opened.ok) assert.fail(opened.error);
  apis.push(opened.value);
  const { port } = opened.value;
  /** A request as written; `extra` headers, Content-Length unless it is chunked. */
  const request = (body: string, extra = '') => {
    const length = /transfer-encoding|content-length/i.test(extra)
      ? ''
      : `Content-Length: ${Buffer.byteLength(body)}\r\n`;
    return (
      `POST /open HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: application/json\r\n${length}${extra}\r\n${body}`
    );
  };
  return { api: opened.value, port, token, links, entries, request };
}

describe('local API under misbehaving clients', () => {
  it('takes a link sent in chunks, and refuses a chunked body over the limit', async () => {
    const { port, links, request } = await openApi();
    const body = JSON.stringify({ link: 'tel:187' });
    const chunked = (text: string) => `${text.length.toString(16)}\r\n${text}\r\n0\r\n\r\n`;
    const taken = await exchange(
      port,
      request(chunked(body), 'Transfer-Encoding: chunked\r\nConnection: close\r\n'),
    );
    assert.equal(taken.status, 200);
    assert.deepEqual(links, ['tel:187']);
    const huge = JSON.stringify({ link: `tel:${'1'.repeat(10_000)}` });
    const refused = await exchange(port, request(chunked(huge), 'Transfer-Encoding: chunked\r\n'));
    assert.equal(refused.status, 413);
    assert.ok(refused.closedByServer);
    assert.deepEqual(links, ['tel:187']);
  });

  it('cuts a client that dribbles its body, and one that never reads or closes', async () => {
    const { api, port, links, request } = await openApi();
    const socket = await tcp(port);
    socket.on('error', () => undefined);
    const closed = new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.once('close', () => {
        resolve(Buffer.concat(chunks).toString('latin1'));
      });
    });
    socket.write(request('', 'Content-Length: 40\r\n'));
    const dribble = setInterval(() => {
      if (!socket.destroyed) socket.write(' ');
    }, 100);
    try {
      const answer = await within(closed, 'the dribbling client being cut', 4_000);
      assert.ok([0, 408].includes(statusOf(answer)), answer);
    } finally {
      clearInterval(dribble);
    }
    const stuck = await stubborn(port, request('{"link": "tel:1', 'Content-Length: 40\r\n'));
    try {
      assert.ok(await eventually(() => Promise.resolve(api.connections().served === 0)));
    } finally {
      stuck.destroy();
    }
    assert.deepEqual(links, []);
  });

  it('answers a burst beyond its connections, each with a status, and serves again after', async () => {
    const { port, links, request } = await openApi();
    const answers = await burst(port, 64);
    // The burst asks for another path, without a token: each is refused, saying why, when
    // its turn comes (404), or at once while the port is full (503); never a bare close.
    for (const answer of answers) assert.ok([404, 503].includes(answer.status), answer.response);
    const after = await exchange(
      port,
      request(JSON.stringify({ link: 'tel:1' }), 'Connection: close\r\n'),
    );
    assert.equal(after.status, 200);
    assert.deepEqual(links, ['tel:1']);
  });
});
