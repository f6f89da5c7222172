import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  expand,
  INTEGRA_PLACEHOLDERS,
  type Expanded,
} from '../../../../shared/protocols/integra.ts';
import {
  anyValues,
  HOSTILE_VALUES,
  template,
  values,
} from '../../../../shared/protocols/integra.test-support.ts';
import { listenOnFreePort, tempDir } from '../../core.test-support.ts';
import { CommandRunner, STDERR_LINE_LIMIT } from './command-runner.ts';
import { describeRunRecord } from './run-record.ts';

/**
 * The runner with real processes: sh scripts and node scripts written to a temporary folder.
 * The scripts may be sh; the values only ever reach them as argv, never as shell text.
 */

const posix = process.platform !== 'win32';
const noUrl = (): Promise<void> => Promise.reject(new Error('no URL expected'));

/** An executable script `name` holding `body`, in a new folder (for whatever it writes). */
function script(name: string, body: string): { dir: string; file: string } {
  const dir = tempDir('integra-');
  const file = join(dir, name);
  writeFileSync(file, body);
  chmodSync(file, 0o755);
  return { dir, file };
}

/** A sh script that writes its arguments after the first, NUL-separated, to the first. */
const RECORD_ARGV =
  '#!/bin/sh\nout="$1"; shift\nfor a in "$@"; do printf "%s\\0" "$a"; done > "$out"\n';

const recorded = (file: string): string[] => readFileSync(file, 'utf8').split('\0').slice(0, -1);

const command = (text: string, overrides = {}): Expanded =>
  expand(template(text), values(overrides));

describe('CommandRunner with real processes', { skip: !posix && 'POSIX sh scripts' }, () => {
  it('hands a script exactly the values, hostile ones included, and no shell reads them', async () => {
    const { dir, file: hook } = script('record argv.sh', RECORD_ARGV);
    const out = join(dir, 'argv');
    const canary = join(dir, 'pwned');
    const hostile = [
      ...HOSTILE_VALUES,
      `$(touch ${canary})`,
      `; touch ${canary}`,
      `\`touch ${canary}\``,
      `" && touch ${canary} && "`,
    ];
    const runner = new CommandRunner({ openUrl: noUrl });
    for (const [index, value] of hostile.entries()) {
      const other = hostile[(index + 1) % hostile.length] ?? '';
      const run = await runner.run(
        'CALL_IN',
        command(`"${hook}" "${out}" !01 "at !04: !01" !05 ! 06`, {
          remoteNumber: value,
          callId: other,
          originalCallingNumber: '!01',
        }),
      );
      assert.equal(run.status, 'exited', describeRunRecord(run));
      assert.equal(run.exitCode, 0);
      assert.deepEqual(recorded(out), [value, `at 25/12/2024_09.05.03: ${value}`, other, '!01']);
    }
    assert.equal(existsSync(canary), false, 'a value reached a shell');
  });

  it('for any values, the script receives as many arguments as the template has, exactly', async () => {
    const { dir, file: hook } = script('record.sh', RECORD_ARGV);
    const out = join(dir, 'argv');
    const runner = new CommandRunner({ openUrl: noUrl });
    // argv travels as C strings in the OS's encoding: no NUL, and well-formed UTF-16 only.
    const passable = anyValues.filter((v) =>
      INTEGRA_PLACEHOLDERS.every((field) => !/[\0\p{Cs}]/u.test(v[field])),
    );
    await fc.assert(
      fc.asyncProperty(passable, async (v) => {
        const expanded = expand(template(`${hook} ${out} !00 !01 x!02y "!03 !04" !05!06 !07`), v);
        const run = await runner.run(v.action, expanded);
        assert.equal(run.status, 'exited', describeRunRecord(run));
        assert.deepEqual(recorded(out), [
          v.ownNumber,
          v.remoteNumber,
          `x${v.action}y`,
          `${v.ownDirectNumber} ${v.time}`,
          `${v.callId}${v.originalCallingNumber}`,
          v.originalCalledNumber,
        ]);
      }),
      { numRuns: 40 },
    );
  });

  it('runs in the environment it was given', async () => {
    const { dir, file: hook } = script(
      'env.sh',
      '#!/bin/sh\nprintf "%s" "$CALLBRIDGE_PROBE" > "$1"\n',
    );
    const env = { PATH: process.env['PATH'], CALLBRIDGE_PROBE: 'from the runner' };
    const run = await new CommandRunner({ openUrl: noUrl, env }).run(
      'CALL_OUT',
      command(`${hook} ${join(dir, 'env')}`),
    );
    assert.equal(run.status, 'exited', describeRunRecord(run));
    assert.equal(readFileSync(join(dir, 'env'), 'utf8'), 'from the runner');
  });

  it('kills a hanging command at its time limit and says so', async () => {
    const runner = new CommandRunner({ openUrl: noUrl, timeLimitMs: 300 });
    const run = await runner.run('CALL_IN', command('sleep 30'));
    assert.equal(run.status, 'timed-out');
    assert.equal(run.signal, 'SIGKILL');
    assert.equal(run.error, 'killed at the time limit of 300 ms');
    assert.ok(run.durationMs >= 290 && run.durationMs < 5000, `${run.durationMs} ms`);
    assert.deepEqual(run.target, { kind: 'program', argv: ['sleep', '30'] });
    assert.match(describeRunRecord(run), /^CALL_IN ran \["sleep","30"\]: killed at the time limit/);
  });

  it('kills what the command started too (its process group)', async () => {
    const { dir, file: hook } = script('fork.sh', '#!/bin/sh\nsleep 30 &\necho $! > "$1"\nwait\n');
    const pidFile = join(dir, 'pid');
    const run = await new CommandRunner({ openUrl: noUrl, timeLimitMs: 500 }).run(
      'CALL_IN',
      command(`${hook} ${pidFile}`),
    );
    assert.equal(run.status, 'timed-out');
    const pid = readFileSync(pidFile, 'utf8').trim();
    // No event tells another process's end; poll /proc, bounded (a zombie counts as ended).
    const gone = (): boolean => {
      const stat = `/proc/${pid}/stat`;
      return !existsSync(stat) || /^\d+ \([^)]*\) Z/.test(readFileSync(stat, 'utf8'));
    };
    for (let i = 0; i < 100 && !gone(); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(gone(), `the background sleep ${pid} outlived its hook`);
  });

  it('reports exit status and the first non-blank line of stderr', async () => {
    const { file: hook } = script(
      'fail.sh',
      '#!/bin/sh\nprintf "\\n  \\nCRM refused the \\033[1mpop-up\\r\\nsecond line\\n" >&2\nexit 3\n',
    );
    const run = await new CommandRunner({ openUrl: noUrl }).run('CALL_CLOSE', command(hook));
    assert.equal(run.status, 'exited');
    assert.equal(run.exitCode, 3);
    assert.equal(run.stderrFirstLine, 'CRM refused the \uFFFD[1mpop-up');
    assert.equal(run.error, null);
    assert.match(describeRunRecord(run), /: exit status 3 after \d+ ms; stderr: CRM refused/);
  });

  it('reads only the start of a flood on stderr, and the program is not held up', async () => {
    const { file: flood } = script(
      'flood.mjs',
      "process.stderr.write('x'.repeat(1 << 20)); process.stderr.write('\\nlater\\n');\n",
    );
    const run = await new CommandRunner({ openUrl: noUrl }).run(
      'CALL_IN',
      command(`"${process.execPath}" ${flood}`),
    );
    assert.equal(run.status, 'exited', describeRunRecord(run));
    assert.equal(run.exitCode, 0);
    assert.equal(run.stderrFirstLine, `${'x'.repeat(STDERR_LINE_LIMIT)}…`);
  });

  it('reports a signal the program got from elsewhere', async () => {
    const { file: hook } = script('term.sh', '#!/bin/sh\nkill -TERM $$\n');
    const run = await new CommandRunner({ openUrl: noUrl }).run('CALL_IN', command(hook));
    assert.equal(run.status, 'signalled');
    assert.equal(run.signal, 'SIGTERM');
    assert.equal(run.error, 'ended by SIGTERM');
  });

  it('names a missing program, an unexecutable one and a missing folder', async () => {
    const runner = new CommandRunner({ openUrl: noUrl });
    const missing = await runner.run('CALL_IN', command('callbridge-no-such-program !01'));
    assert.equal(missing.status, 'failed');
    assert.equal(missing.error, 'program not found: callbridge-no-such-program');

    const dir = tempDir('integra-noexec-');
    const plain = join(dir, 'plain.sh');
    writeFileSync(plain, '#!/bin/sh\n');
    const denied = await runner.run('CALL_IN', command(plain));
    assert.equal(denied.status, 'failed');
    assert.equal(denied.error, `program not executable (permission denied): ${plain}`);

    const nowhere = join(dir, 'no-such-folder');
    const lost = await new CommandRunner({ openUrl: noUrl, cwd: nowhere }).run(
      'CALL_IN',
      command('sleep 0'),
    );
    assert.equal(lost.error, `working folder not found: ${nowhere}`);
  });

  it('refuses a NUL in a value instead of cutting the argument short', async () => {
    const runner = new CommandRunner({ openUrl: noUrl });
    const run = await runner.run('CALL_IN', command('sleep !01 !05', { callId: 'a\0b' }));
    assert.equal(run.status, 'refused');
    assert.equal(run.error, 'argument 2 holds a NUL character, which no program can receive');
  });

  it('runs at most maxRunning at once, queues up to maxQueued, and refuses the rest', async () => {
    // Each program connects to this server and runs until it is sent a byte; its connection
    // closes when it has exited, so `live` counts the programs running. One is told to end
    // whenever all that may run have connected; a runner that started more would show here.
    const server = createServer();
    const port = await listenOnFreePort(server);
    const { file: client } = script(
      'client.mjs',
      "import { connect } from 'node:net';\nconnect(Number(process.argv[2]), '127.0.0.1').on('data', () => process.exit(0));\n",
    );
    const runner = new CommandRunner({ openUrl: noUrl, maxRunning: 2, maxQueued: 3 });
    const total = 5;
    const live = new Set<Socket>();
    const untold: Socket[] = [];
    let released = 0;
    let peak = 0;
    const releaseWhenFull = (): void => {
      while (released < total && untold.length === Math.min(2, total - released)) {
        released += 1;
        untold.shift()?.write('x');
      }
    };
    server.on('connection', (socket) => {
      live.add(socket);
      untold.push(socket);
      peak = Math.max(peak, live.size);
      socket.on('close', () => live.delete(socket));
      releaseWhenFull();
    });
    try {
      const runs = Array.from({ length: total + 2 }, () =>
        runner.run('CALL_IN', command(`"${process.execPath}" ${client} ${port}`)),
      );
      assert.equal(runner.running, 2);
      assert.equal(runner.queued, 3);
      const records = await Promise.all(runs);
      assert.deepEqual(
        records.map((r) => r.status),
        ['exited', 'exited', 'exited', 'exited', 'exited', 'refused', 'refused'],
      );
      assert.match(
        records[6]?.error ?? '',
        /^too many Integra commands at once \(2 running, 3 waiting\); this one was not run$/,
      );
      assert.equal(peak, 2);
      assert.equal(released, total);
      assert.ok((records[4]?.queuedMs ?? 0) > 0);
      assert.equal(runner.running, 0);
    } finally {
      server.close();
    }
  });

  it('close kills what runs, refuses what waits, and then refuses new runs', async () => {
    const runner = new CommandRunner({ openUrl: noUrl, maxRunning: 1 });
    const running = runner.run('CALL_IN', command('sleep 30'));
    const waiting = runner.run('CALL_IN', command('sleep 30'));
    await runner.close();
    const [ran, waited] = await Promise.all([running, waiting]);
    assert.equal(ran.status, 'signalled');
    assert.equal(ran.error, 'killed because Integra stopped');
    assert.equal(waited.status, 'refused');
    const late = await runner.run('CALL_IN', command('sleep 0'));
    assert.equal(late.error, 'Integra is stopping; the command was not run');
  });
});

describe('CommandRunner with URLs', () => {
  it('hands the expanded URL to the opener', async () => {
    const opened: string[] = [];
    const runner = new CommandRunner({
      openUrl: (url) => {
        opened.push(url);
        return Promise.resolve();
      },
    });
    const run = await runner.run(
      'CALL_IN',
      command('http://mywebserver.com/myscript.php?&num_chiamante=!01&action=!02', {
        remoteNumber: '"; rm -rf ~ #',
      }),
    );
    assert.equal(run.status, 'opened');
    const url =
      'http://mywebserver.com/myscript.php?&num_chiamante=%22%3B%20rm%20-rf%20~%20%23&action=CALL_IN';
    assert.deepEqual(opened, [url]);
    assert.deepEqual(run.target, { kind: 'url', url });
  });

  it('reports an opener that fails, throws or hangs', async () => {
    const failing = new CommandRunner({ openUrl: () => Promise.reject(new Error('no browser')) });
    const failed = await failing.run('CALL_IN', command('https://crm/?n=!01'));
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error, 'could not open: no browser');

    const throwing = new CommandRunner({
      openUrl: () => {
        throw new Error('thrown');
      },
    });
    assert.equal(
      (await throwing.run('CALL_IN', command('https://crm/'))).error,
      'could not open: thrown',
    );

    const hanging = new CommandRunner({
      openUrl: () => new Promise<void>(() => undefined),
      timeLimitMs: 100,
    });
    const hung = await hanging.run('CALL_IN', command('https://crm/'));
    assert.equal(hung.status, 'timed-out');
    assert.equal(hung.error, 'the URL opener did not answer within 100 ms');
    assert.equal(hanging.running, 0);
  });

  it('opens nothing but http and https, whoever built the command', async () => {
    const runner = new CommandRunner({ openUrl: noUrl });
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'tel:123', 'not a url']) {
      const run = await runner.run('CALL_IN', { kind: 'url', url });
      assert.equal(run.status, 'refused', url);
      assert.equal(run.error, 'only http and https URLs are opened');
    }
  });
});
