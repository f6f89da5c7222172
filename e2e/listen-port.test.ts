import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BridgeProbe } from './support/bridge-probe.ts';
import { rawRequest, statusOf } from './support/raw-http.ts';
import { newProfileDir, startCore, telephony, type RunningCore } from './support/serve.ts';

/** Bad input over real HTTP against the real core process: a clear 4xx, nothing changed. */
describe('listen port refuses bad input and keeps serving', () => {
  const profile = newProfileDir();
  let core: RunningCore;
  let probe: BridgeProbe;
  let ringingTable = '';

  before(async () => {
    core = await startCore(profile.dir);
    probe = await BridgeProbe.connect(core);
    const ring = await telephony(core, 'l=1&n=012345678901&a=i&i=Datos');
    assert.equal(ring.status, 200);
    ringingTable = JSON.stringify((await probe.snapshot()).table);
  });

  after(async () => {
    probe.close();
    await core.stop();
    profile.remove();
  });

  const assertUnchanged = async () => {
    assert.equal(
      JSON.stringify((await probe.snapshot()).table),
      ringingTable,
      'the line table changed',
    );
  };

  const cases: [string, string, number, RegExp][] = [
    ['an unknown action', 'line=1&no=1&action=ringing', 400, /ACTION.*ringing/i],
    ['line 0', 'line=0&no=1&action=incoming', 400, /LINE/i],
    [
      'a line beyond the configured lines',
      'line=9&no=1&action=incoming',
      400,
      /line 9 does not exist.*1 to 4/,
    ],
    ['a missing action', 'line=1&no=1', 400, /ACTION/i],
    ['holding a ringing call', 'line=1&action=onhold', 409, /only a connected call can be held/],
  ];
  for (const [what, query, status, message] of cases) {
    it(`answers ${status} for ${what}, naming the bad part`, async () => {
      const response = await telephony(core, query);
      assert.equal(response.status, status);
      assert.match(response.body, message);
      await assertUnchanged();
    });
  }

  it('answers 4xx for a 100 kB query', async () => {
    const query = `l=1&n=1&a=i&i=${'x'.repeat(100_000)}`;
    const { response } = await rawRequest(
      core.listenPort,
      `GET /telephony?${query} HTTP/1.1\r\nHost: 127.0.0.1:${core.listenPort}\r\n\r\n`,
    );
    assert.equal(statusOf(response), 431);
    assert.match(response, /exceed/);
    await assertUnchanged();
  });

  it('answers 414 for a query over the parser limit that still fits the header limit', async () => {
    const response = await telephony(core, `l=1&n=1&a=i&i=${'x'.repeat(5_000)}`);
    assert.equal(response.status, 414);
    await assertUnchanged();
  });

  it('refuses a Host that is not this computer (DNS rebinding)', async () => {
    const { response } = await rawRequest(
      core.listenPort,
      `GET /telephony?l=2&n=1&a=i HTTP/1.1\r\nHost: evil.example:${core.listenPort}\r\nConnection: close\r\n\r\n`,
    );
    assert.equal(statusOf(response), 403);
    assert.match(response, /Host "evil\.example.*" is not this computer/);
    await assertUnchanged();
  });

  it('refuses a request a web page fired from a foreign Origin', async () => {
    const response = await telephony(core, 'l=2&n=1&a=i', { origin: 'https://evil.example' });
    assert.equal(response.status, 403);
    assert.match(response.body, /evil\.example/);
    const crossSite = await telephony(core, 'l=2&n=1&a=i', {
      'sec-fetch-site': 'cross-site',
      'sec-fetch-mode': 'no-cors',
    });
    assert.equal(crossSite.status, 403);
    // Another port on this computer is "same-site" to a browser: still a web page.
    const sameSite = await telephony(core, 'l=2&n=1&a=i', {
      'sec-fetch-site': 'same-site',
      'sec-fetch-mode': 'no-cors',
    });
    assert.equal(sameSite.status, 403);
    await assertUnchanged();
  });

  it('drops a client too slow to finish its request', async () => {
    const { response, closedByServer } = await rawRequest(
      core.listenPort,
      `GET /telephony?l=2&n=1&a=i HTTP/1.1\r\nHost: 127.0.0.1:${core.listenPort}\r\n`,
      { timeoutMs: 15_000 },
    );
    assert.ok(closedByServer, 'the server kept a half-sent request open');
    assert.equal(statusOf(response), 408);
    await assertUnchanged();
  });

  it('answers 404 for another path and 405 for another method', async () => {
    const other = await fetch(`http://127.0.0.1:${core.listenPort}/admin`);
    assert.equal(other.status, 404);
    const post = await fetch(`http://127.0.0.1:${core.listenPort}/telephony?l=2&n=1&a=i`, {
      method: 'POST',
    });
    assert.equal(post.status, 405);
    await assertUnchanged();
  });

  it('still serves a good request afterwards, and logged every refusal', async () => {
    const response = await telephony(core, 'l=1&n=012345678901&a=e&i=Datos');
    assert.equal(response.status, 200);
    const snapshot = await probe.snapshot();
    assert.equal(snapshot.table.lines[0]?.call?.phase, 'established');
    // Oldest first, one entry per refusal above, in the order the tests sent them.
    const refusals = snapshot.log
      .filter((entry) => entry.error !== null)
      .reverse()
      .map((entry) => `${entry.raw} => ${entry.error ?? ''}`);
    const expected = [
      /action=ringing => ACTION "ringing" is not one of/,
      /line=0&no=1&action=incoming => LINE/,
      /line=9&no=1&action=incoming => line 9 does not exist/,
      /line=1&no=1 => .*ACTION/,
      /line=1&action=onhold => .*only a connected call can be held/,
      /\(unreadable request\) => request line and headers exceed/,
      /i=x{100}.* => the query is \d+ characters long; the limit is 4096/,
      /=> Host "evil\.example:\d+" is not this computer/,
      /=> requests from web pages at https:\/\/evil\.example are refused/,
      /=> requests that web pages fire \(cross-site\) are refused/,
      /=> requests that web pages fire \(same-site\) are refused/,
      /\(incomplete request\) => the request was not completed in time/,
      /GET \/admin => path \/admin is unknown/,
      /POST \/telephony\?l=2&n=1&a=i => method POST is not allowed/,
    ];
    assert.equal(refusals.length, expected.length, refusals.join('\n'));
    expected.forEach((pattern, index) => {
      assert.match(refusals[index] ?? '', pattern, `refusal ${index + 1}`);
    });
    assert.deepEqual(
      [...new Set(snapshot.log.map((entry) => `${entry.source} ${entry.direction}`))],
      ['listen-port in'],
    );
  });
});
