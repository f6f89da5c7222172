import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { BridgeProbe } from './support/bridge-probe.ts';
import { freePort } from './support/net.ts';
import { CLI, newProfileDir, REPO_ROOT, startCore, type RunningCore } from './support/serve.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a command without a shell and collect its exit code and output. */
function run(file: string, args: readonly string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(file, args, { cwd: REPO_ROOT, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

const callbridge = (...args: string[]) => run(process.execPath, [CLI, ...args]);

/** `callbridge telephony` does TelephonyIntegration.exe's job against the running core. */
describe('callbridge telephony', () => {
  const profile = newProfileDir();
  let core: RunningCore;
  let probe: BridgeProbe;

  before(async () => {
    core = await startCore(profile.dir);
    probe = await BridgeProbe.connect(core);
  });

  after(async () => {
    probe.close();
    await core.stop();
    profile.remove();
  });

  it('alerts an incoming call with the long form, through npx as a script would call it', async () => {
    const result = await run('npx', [
      '--no-install',
      'callbridge',
      'telephony',
      `LOCALHOST:${core.listenPort}`,
      'line=1',
      'no=012345678901',
      'action=incoming',
      'callerid=Datos',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const call = (await probe.snapshot()).table.lines[0]?.call;
    assert.equal(call?.phase, 'ringing');
    assert.equal(call.number, '012345678901');
    assert.equal(call.callerId, 'Datos');
  });

  it('establishes it with the short form', async () => {
    const result = await callbridge(
      'telephony',
      `LOCALHOST:${core.listenPort}`,
      'l=1',
      'n=012345678901',
      'a=e',
      'i=Datos',
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal((await probe.snapshot()).table.lines[0]?.call?.phase, 'established');
  });

  it('passes a quoted caller ID through unchanged', async () => {
    const result = await callbridge(
      'telephony',
      `127.0.0.1:${core.listenPort}`,
      'L=2',
      'N=02838362002',
      'A=I',
      'CALLERID="Datos Software Solutions"',
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      (await probe.snapshot()).table.lines[1]?.call?.callerId,
      'Datos Software Solutions',
    );
  });

  it('fails with one line and a non-zero code when nothing listens', async () => {
    const port = await freePort();
    const result = await callbridge('telephony', `localhost:${port}`, 'l=1', 'n=1', 'a=i');
    assert.notEqual(result.code, 0);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, new RegExp(`${port}`));
  });

  it('refuses a bad key without sending anything', async () => {
    const before = JSON.stringify((await probe.snapshot()).table);
    const result = await callbridge(
      'telephony',
      `LOCALHOST:${core.listenPort}`,
      'l=1',
      'colour=red',
      'a=t',
    );
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /colour/);
    assert.equal(JSON.stringify((await probe.snapshot()).table), before);
  });

  it("passes the server's reason through for a line that does not exist", async () => {
    const result = await callbridge(
      'telephony',
      `LOCALHOST:${core.listenPort}`,
      'l=9',
      'n=1',
      'a=i',
    );
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /line 9 does not exist/);
  });
});
