import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { freePort, listenOnFreePort } from '../core.test-support.ts';
import { runTelephony, TELEPHONY_USAGE } from './telephony.ts';

/**
 * `callbridge telephony` against a real node:http server on 127.0.0.1 that stands in for a
 * listen port: it records what arrived and answers what each test asks for.
 */

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

type Reply = { status: number; body: string } | 'hang';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { stdout: (l: string) => out.push(l), stderr: (l: string) => err.push(l) },
  };
}

describe('callbridge telephony (against a real HTTP server standing in for a listen port)', () => {
  const received: Received[] = [];
  let reply: Reply = { status: 200, body: 'OK' };
  const server = createServer((req, res) => {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (reply === 'hang') return;
    res.writeHead(reply.status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(reply.body);
  });
  let port = 0;

  before(async () => {
    port = await listenOnFreePort(server);
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const run = async (argv: string[], options?: { timeoutMs: number }) => {
    received.length = 0;
    const { out, err, io } = capture();
    const code = await runTelephony(argv, io, options);
    return { code, out, err, received: [...received] };
  };

  it('sends the vendor example as GET /telephony with the keys as given, and exits 0', async () => {
    reply = { status: 200, body: 'OK' };
    const argv = `127.0.0.1:${port} line=1 no=012345678901 action=incoming callerid=Datos`;
    const result = await run(argv.split(' '));
    assert.equal(result.code, 0);
    assert.deepEqual(result.err, []);
    assert.equal(result.received.length, 1);
    const [request] = result.received;
    assert.equal(request?.method, 'GET');
    assert.equal(request.url, '/telephony?line=1&no=012345678901&action=incoming&callerid=Datos');
    assert.equal(request.headers.host, `127.0.0.1:${port}`);
    assert.equal(request.headers.origin, undefined);
    assert.equal(request.headers['sec-fetch-site'], undefined);
  });

  it('sends the short-code example with its double space', async () => {
    const result = await run(`127.0.0.1:${port}  l=1 n=012345678901 a=e i=Datos`.split(' '));
    assert.equal(result.code, 0);
    assert.equal(result.received[0]?.url, '/telephony?l=1&n=012345678901&a=e&i=Datos');
  });

  it('maps LOCALHOST to localhost', async () => {
    const result = await run([`LOCALHOST:${port}`, 'l=1', 'a=t']);
    assert.equal(result.code, 0, result.err.join('\n'));
    assert.equal(result.received[0]?.headers.host, `localhost:${port}`);
    assert.equal(result.received[0].url, '/telephony?l=1&a=t');
  });

  it('percent-encodes values, quotes and all', async () => {
    const result = await run([`127.0.0.1:${port}`, 'a=i', 'callerid="Datos Software"', 'n=+44 20']);
    assert.equal(result.code, 0);
    assert.equal(
      result.received[0]?.url,
      '/telephony?a=i&callerid=%22Datos%20Software%22&n=%2B44%2020',
    );
  });

  it('exits 2 on bad arguments with the parser message and a usage hint, sending nothing', async () => {
    const cases = [
      [[`127.0.0.1:${port}`, 'l=1', 'a=ringing'], /ACTION "ringing" is not one of INCOMING \(I\)/],
      [[`127.0.0.1:${port}`, 'lien=1', 'a=i'], /unknown key "lien"/],
      [['line=1', 'a=i'], /the first argument must be HOST:PORT/],
      [[], /HOST:PORT \(e\.g\. localhost:5555\) is missing/],
      [[`127.0.0.1:${port}`, 'l=1'], /ACTION is missing/],
    ] as const;
    for (const [argv, message] of cases) {
      const result = await run([...argv]);
      assert.equal(result.code, 2, argv.join(' '));
      assert.equal(result.err.length, 1);
      assert.match(result.err[0] ?? '', /^callbridge telephony: /);
      assert.match(result.err[0] ?? '', message);
      assert.match(result.err[0] ?? '', /usage: callbridge telephony HOST:PORT/);
      assert.doesNotMatch(result.err[0] ?? '', /\n/);
      assert.deepEqual(result.out, []);
      assert.equal(result.received.length, 0);
    }
  });

  it('passes a 400 body through as one line and exits 4', async () => {
    reply = { status: 400, body: 'ACTION "x" is not one of INCOMING (I), ...\nsecond line\n' };
    const result = await run([`127.0.0.1:${port}`, 'a=i']);
    assert.equal(result.code, 4);
    assert.deepEqual(result.err, [
      `callbridge telephony: 127.0.0.1:${port} refused the event: HTTP 400 ACTION "x" is not one of INCOMING (I), ...`,
    ]);
  });

  it('exits 4 on a 5xx, with the status text when the body is empty', async () => {
    reply = { status: 503, body: '' };
    const result = await run([`127.0.0.1:${port}`, 'a=i']);
    assert.equal(result.code, 4);
    assert.deepEqual(result.err, [
      `callbridge telephony: 127.0.0.1:${port} refused the event: HTTP 503 Service Unavailable`,
    ]);
  });

  it('exits 3 when the listen port does not answer in time', async () => {
    reply = 'hang';
    const result = await run([`127.0.0.1:${port}`, 'a=i'], { timeoutMs: 150 });
    assert.equal(result.code, 3);
    assert.deepEqual(result.err, [
      `callbridge telephony: no answer from 127.0.0.1:${port} within 0.15 s (timed out)`,
    ]);
    assert.equal(result.received.length, 1);
    reply = { status: 200, body: 'OK' };
  });

  it('prints the usage for --help', async () => {
    const result = await run(['--help']);
    assert.equal(result.code, 0);
    assert.deepEqual(result.out, [TELEPHONY_USAGE]);
  });
});

describe('callbridge telephony without a listen port', () => {
  it('exits 3 with "connection refused" against a closed port', async () => {
    const port = await freePort();
    for (const host of ['127.0.0.1', 'LOCALHOST']) {
      const { err, io } = capture();
      const code = await runTelephony([`${host}:${port}`, 'l=1', 'a=i'], io);
      assert.equal(code, 3);
      assert.deepEqual(err, [
        `callbridge telephony: no Callbridge listen port at ${host.toLowerCase()}:${port} (connection refused)`,
      ]);
    }
  });

  it('reaches an IPv6 loopback listen port written as [::1]', async (t) => {
    const received: string[] = [];
    const server = createServer((req, res) => {
      received.push(`${req.headers.host ?? ''} ${req.url ?? ''}`);
      res.end();
    });
    let port: number;
    try {
      port = await listenOnFreePort(server, '::1');
    } catch {
      t.skip('no IPv6 loopback on this machine');
      return;
    }
    const { io, err } = capture();
    const code = await runTelephony([`[::1]:${port}`, 'l=2', 'a=h'], io);
    server.close();
    assert.equal(code, 0, err.join('\n'));
    assert.deepEqual(received, [`[::1]:${port} /telephony?l=2&a=h`]);
  });
});
