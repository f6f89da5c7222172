import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemOpener } from './system-open.ts';
import { xdgProfile } from './xdg-profile.test-support.ts';

/** The platform opener as a real process: xdg-open with a handler registered in a test profile. */
describe('systemOpener on Linux (xdg-open)', () => {
  const profile = xdgProfile();
  const open = systemOpener({ env: profile.env, platform: 'linux' });
  afterEach(() => {
    profile.reset();
  });
  after(() => {
    profile.remove();
  });

  it('hands the URL to the registered handler as one argument, and answers once it has', async () => {
    profile.registerRecorder('recorder.desktop');
    assert.deepEqual(await open('tel:+442079460018'), { ok: true, value: null });
    assert.deepEqual(profile.received(), ['tel:+442079460018']);
  });

  it('never lets a shell read the URL: spaces, quotes and $(…) stay one inert argument', async () => {
    profile.registerRecorder('recorder.desktop');
    const hostile = `tel:1;x=$(touch ${join(profile.dir, 'pwned')}) "a b" \`id\` ;|&`;
    assert.deepEqual(await open(hostile), { ok: true, value: null });
    assert.deepEqual(profile.received(), [hostile]);
    assert.throws(() => readFileSync(join(profile.dir, 'pwned')));
  });

  it('fails naming xdg-open and how it exited when no program handles the scheme', async () => {
    const result = await open('tel:+442079460018');
    assert.ok(!result.ok);
    assert.equal(
      result.error,
      "xdg-open exited with 3: xdg-open: no method available for opening 'tel:+442079460018'",
    );
  });

  it('says the opener is not installed when it is not on PATH', async () => {
    const bare = systemOpener({ env: { ...profile.env, PATH: profile.dir }, platform: 'linux' });
    assert.deepEqual(await bare('tel:1002'), { ok: false, error: 'xdg-open is not installed' });
  });

  it('takes an opener still running at its time limit as having handed the URL over, and leaves it running', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'callbridge-opener-'));
    try {
      // An xdg-open that never returns: a handler that started a long-lived program in the
      // foreground looks the same from here.
      const stuck = join(folder, 'xdg-open');
      const pidFile = join(folder, 'pid');
      writeFileSync(stuck, `#!/bin/sh\necho $$ > '${pidFile}'\nexec sleep 30\n`);
      chmodSync(stuck, 0o755);
      const slow = systemOpener({
        env: { ...profile.env, PATH: `${folder}:/usr/bin:/bin` },
        platform: 'linux',
        timeLimitMs: 300,
      });
      const started = Date.now();
      const result = await slow('tel:1002');
      assert.deepEqual(result, { ok: true, value: null });
      assert.ok(Date.now() - started < 5_000);
      // Still running (signal 0 only checks); then ended by the PID this test started.
      const pid = Number(readFileSync(pidFile, 'utf8'));
      assert.equal(process.kill(pid, 0), true);
      process.kill(pid, 'SIGKILL');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

/**
 * macOS's `open` and Windows' rundll32 cannot run here: a program of the same name on PATH
 * that records its argv shows what each platform's opener is given (nothing else is emulated).
 */
describe('systemOpener on macOS and Windows (the argv they get)', () => {
  const folder = mkdtempSync(join(tmpdir(), 'callbridge-opener-'));
  const record = join(folder, 'argv.txt');
  after(() => {
    rmSync(folder, { recursive: true, force: true });
  });
  const recording = (name: string) => {
    const file = join(folder, name);
    writeFileSync(
      file,
      `#!/bin/sh\nfor arg in "$@"; do printf '%s\\n' "$arg" >> '${record}'; done\n`,
    );
    chmodSync(file, 0o755);
  };

  for (const [platform, file, argv] of [
    ['darwin', 'open', ['tel:+442079460018']],
    ['win32', 'rundll32.exe', ['url.dll,FileProtocolHandler', 'tel:+442079460018']],
  ] as const) {
    it(`${platform}: ${file} ${argv.join(' ')}`, async () => {
      recording(file);
      rmSync(record, { force: true });
      const open = systemOpener({ env: { PATH: folder }, platform });
      assert.deepEqual(await open('tel:+442079460018'), { ok: true, value: null });
      assert.deepEqual(readFileSync(record, 'utf8').split('\n').slice(0, -1), argv);
    });
  }
});
