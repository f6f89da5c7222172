import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { INTEGRA_DEFAULTS, type IntegraSettings } from '../../../../shared/doors/integra.ts';
import type { LogEntry } from '../../../../shared/model/integration-log.ts';
import { err, ok } from '../../../../shared/result.ts';
import { pbxEventsBackend } from '../../backends/backend.test-support.ts';
import { listenOnFreePort, tempDir } from '../../core.test-support.ts';
import { IntegrationLog } from '../../integration-log.ts';
import { Switchboard } from '../../switchboard.ts';
import type { OpenExternal } from '../../system-open.ts';
import type { Door } from '../door.ts';
import { doorParts } from '../door.test-support.ts';
import { integraDoor } from './index.ts';

/**
 * The Integra door over a real switchboard, running real sh scripts; the values only ever
 * reach them as argv. Calls are reported as the listen port would report them.
 */

const posix = process.platform !== 'win32';
const opened: Door<'integra'>[] = [];
after(async () => {
  for (const door of opened) await door.close();
});

/** A sh script in a new folder that writes its arguments, NUL-separated, to `argv.<n>`. */
function recorder() {
  const dir = tempDir('integra-door-');
  const file = join(dir, 'record.sh');
  writeFileSync(
    file,
    '#!/bin/sh\nn=$(ls "$(dirname "$0")" | grep -c "^argv")\nfor a in "$@"; do printf "%s\\0" "$a"; done > "$(dirname "$0")/argv.$n"\n',
  );
  chmodSync(file, 0o755);
  const argv = (n: number): string[] =>
    readFileSync(join(dir, `argv.${n}`), 'utf8')
      .split('\0')
      .slice(0, -1);
  return { dir, file, argv };
}

async function startDoor(settings: Partial<IntegraSettings>, openExternal?: OpenExternal) {
  const board = new Switchboard({ lines: 2, backend: pbxEventsBackend, journal: () => ok(null) });
  const log = new IntegrationLog();
  const entries: LogEntry[] = [];
  const waiting: (() => void)[] = [];
  log.added.on((entry) => {
    entries.push(entry);
    for (const wake of waiting.splice(0)) wake();
  });
  /** Resolves once the log holds `count` entries; bounded, so a missing run fails the test. */
  const logged = async (count: number, timeoutMs = 10_000): Promise<LogEntry[]> => {
    const deadline = Date.now() + timeoutMs;
    while (entries.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`only ${entries.length} of ${count} runs were logged`);
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, left);
        waiting.push(() => {
          clearTimeout(timer);
          wake();
        });
      });
    }
    return entries.slice(0, count);
  };
  let statusChanges = 0;
  const door = integraDoor.create();
  opened.push(door);
  const section: IntegraSettings = { ...INTEGRA_DEFAULTS, enabled: true, ...settings };
  await door.start({
    switchboard: board,
    log: log.forSource('integra'),
    settings: section,
    portOverride: undefined,
    openExternal:
      openExternal ?? ((url) => Promise.resolve(err(`this test opens nothing (asked ${url})`))),
    ...doorParts(),
    statusChanged: () => {
      statusChanges += 1;
    },
  });
  return { board, door, entries, logged, section, statusChanges: () => statusChanges };
}

describe('Integra door', { skip: !posix && 'POSIX sh scripts' }, () => {
  it('runs the command on a ticked event with the call values, and logs the run', async () => {
    const hook = recorder();
    const { board, door, logged } = await startDoor({
      command: `"${hook.file}" !01 !02 "at !04" !05 !00`,
      events: ['CALL_IN'],
    });
    assert.deepEqual(door.status(), {
      state: 'ready',
      summary: `Runs ${hook.file} on CALL_IN`,
      readyLine: null,
      endpoint: null,
    });
    assert.ok(board.report({ kind: 'Incoming', line: 2, number: '026161616' }).ok);
    const [entry] = await logged(1);
    const callId = board.table.lines[1]?.call?.id ?? '';
    const [number, event, at, id, own, ...rest] = hook.argv(0);
    assert.deepEqual([number, event, id, own, rest], ['026161616', 'CALL_IN', callId, '', []]);
    assert.match(at ?? '', /^at \d{2}\/\d{2}\/\d{4}_\d{2}\.\d{2}\.\d{2}$/);
    assert.ok(entry);
    assert.equal(entry.source, 'integra');
    assert.equal(entry.direction, 'out');
    assert.equal(entry.session, `call ${callId}`);
    assert.equal(entry.from, hook.file);
    assert.deepEqual(JSON.parse(entry.raw), [hook.file, ...hook.argv(0)]);
    assert.equal(entry.reading, 'CALL_IN for the inbound call with 026161616 on line 2');
    assert.equal(entry.error, null);
    assert.match(entry.outcome, /^CALL_IN ran \[.*\]: exit status 0 after \d+ ms$/);
  });

  it('runs only the events ticked, and skips internal calls when asked to', async () => {
    const hook = recorder();
    const { board, logged, entries } = await startDoor({
      command: `${hook.file} !02 !01`,
      events: ['CALL_ACCEPT', 'CALL_CLOSE'],
      externalOnly: true,
      internalDigits: 3,
    });
    // An internal call (3 digits) runs nothing at all.
    board.report({ kind: 'Incoming', line: 1, number: '201' });
    board.report({ kind: 'Established', line: 1 });
    board.report({ kind: 'Terminated', line: 1 });
    board.report({ kind: 'Incoming', line: 1, number: '2011' });
    board.report({ kind: 'Established', line: 1 });
    board.report({ kind: 'Terminated', line: 1 });
    const runs = await logged(2);
    const events = runs.map((entry) => (JSON.parse(entry.raw) as string[]).slice(1));
    assert.deepEqual(events.sort(), [
      ['CALL_ACCEPT', '2011'],
      ['CALL_CLOSE', '2011'],
    ]);
    assert.equal(entries.length, 2);
  });

  it('opens a URL template through openExternal, each value percent-encoded', async () => {
    const urls: string[] = [];
    const { board, logged } = await startDoor(
      { command: 'https://crm.example/pop?n=!01&e=!02', events: ['CALL_OUT'] },
      (url) => {
        urls.push(url);
        return Promise.resolve(urls.length === 1 ? ok(null) : err('no browser'));
      },
    );
    board.report({ kind: 'Dialing', line: 1, number: '+49 30 123&x=1' });
    board.report({ kind: 'Terminated', line: 1 });
    board.report({ kind: 'Dialing', line: 1, number: '100' });
    const [first, second] = await logged(2);
    assert.deepEqual(urls, [
      'https://crm.example/pop?n=%2B49%2030%20123%26x%3D1&e=CALL_OUT',
      'https://crm.example/pop?n=100&e=CALL_OUT',
    ]);
    assert.equal(first?.from, 'https://crm.example');
    assert.equal(first.error, null);
    assert.equal(second?.error, 'could not open: no browser');
  });

  it('says in the log when a command fails or is killed at its time limit', async () => {
    const dir = tempDir('integra-door-');
    const hang = join(dir, 'hang.sh');
    writeFileSync(
      hang,
      '#!/bin/sh\necho "cannot reach the CRM" >&2\n[ "$1" = CALL_IN ] && exit 3\nsleep 30\n',
    );
    chmodSync(hang, 0o755);
    const { board, logged } = await startDoor({
      command: `${hang} !02`,
      events: ['CALL_IN', 'CALL_CLOSE'],
      timeLimitSeconds: 1,
    });
    board.report({ kind: 'Incoming', line: 1, number: '026161616' });
    const [failed] = await logged(1);
    assert.equal(failed?.error, 'exit status 3');
    assert.match(failed.outcome, /exit status 3 after \d+ ms; stderr: cannot reach the CRM$/);
    board.report({ kind: 'Terminated', line: 1 });
    const [, killed] = await logged(2);
    assert.equal(killed?.error, 'killed at the time limit of 1000 ms');
    assert.match(killed.outcome, /^CALL_CLOSE ran .*: killed at the time limit of 1000 ms/);
  });

  it('turned off in settings, stops what runs and runs nothing more', async () => {
    // The hook connects here and stays connected while it runs: its connection is the event
    // that says it has started, and its close that it has ended.
    const server = createServer();
    const port = await listenOnFreePort(server);
    const dir = tempDir('integra-door-');
    const hold = join(dir, 'hold.mjs');
    writeFileSync(
      hold,
      "import { connect } from 'node:net';\nconnect(Number(process.argv[2]), '127.0.0.1');\n",
    );
    const connected = new Promise<Socket>((resolve) => server.once('connection', resolve));
    const { board, door, entries, logged, section, statusChanges } = await startDoor({
      command: `"${process.execPath}" ${hold} ${port}`,
      events: ['CALL_IN'],
    });
    try {
      board.report({ kind: 'Incoming', line: 1, number: '026161616' });
      const hook = await connected;
      const ended = new Promise((resolve) => hook.once('close', resolve));
      const before = statusChanges();
      const change = await door.prepare({ ...section, enabled: false }, section);
      assert.ok(change.ok);
      await change.value.commit();
      const [stopped] = await logged(1);
      assert.equal(stopped?.error, 'killed because Integra stopped');
      await ended;
      assert.deepEqual(door.status(), { state: 'off', summary: 'Off' });
      assert.ok(statusChanges() > before);
      board.report({ kind: 'Terminated', line: 1 });
      board.report({ kind: 'Incoming', line: 1, number: '026161617' });
      await door.close();
      assert.equal(entries.length, 1);
    } finally {
      server.close();
    }
  });
});
