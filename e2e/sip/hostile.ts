import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LineTable } from '../../shared/model/line-table.ts';
import { callerGot, waitForLine, type Phone } from './comms-manager.ts';
import type { Frame, BridgeRequest } from './page-wire.ts';
import { binary, freeUdpPort, killAtExit, killGroup } from './process.ts';
import { callWithSipp, type SipRig } from './rig.ts';
import { parseTrace, SCENARIOS, type SippResult } from './sipp.ts';

/**
 * The steps of sip-hostile.test.ts: what a hostile far end sends (raw datagrams at the
 * proxy, a flood of calls), what the engine said about it in the integration log, and
 * the checks that the phone is still a phone afterwards.
 */

/** The summary of an engine `log` report, or undefined for any other frame. */
function logSummary(frame: Frame<BridgeRequest>): string | undefined {
  if (frame.value.name !== 'engineReport') return undefined;
  const { request } = frame.value;
  if (typeof request !== 'object' || request === null) return undefined;
  if (!('kind' in request) || request.kind !== 'log') return undefined;
  return 'summary' in request && typeof request.summary === 'string' ? request.summary : undefined;
}

/** Every integration-log line the engine reported to the core from frame `from` on. */
export function engineLog(phone: Phone, from = 0): string[] {
  return phone.bridge
    .frames()
    .slice(from)
    .map(logSummary)
    .filter((summary) => summary !== undefined);
}

/** The next integration-log line from the engine that matches `pattern`. */
export async function nextEngineLog(
  phone: Phone,
  pattern: RegExp,
  { after = 0, timeoutMs = 10_000 }: { after?: number; timeoutMs?: number } = {},
): Promise<string> {
  const frame = await phone.bridge.next(
    (candidate) => pattern.test(logSummary(candidate) ?? ''),
    `an engine log line matching ${pattern}`,
    { after, timeoutMs },
  );
  return logSummary(frame) ?? '';
}

/** Times each line occurs in `lines`. */
const tally = (lines: readonly string[], expected: readonly (readonly [string, number])[]) =>
  expected.map(([line]) => lines.filter((entry) => entry === line).length);

/**
 * Waits until the engine has reported each `[line, times]` that often since frame `from`
 * (it sends its reports a few at a time, so they may trail the calls themselves), then
 * asserts exactly that often.
 */
export async function engineLogged(
  phone: Phone,
  expected: readonly (readonly [string, number])[],
  from: number,
): Promise<void> {
  const counts = () => tally(engineLog(phone, from), expected);
  const enough = () => counts().every((count, index) => count >= (expected[index]?.[1] ?? 0));
  await phone.bridge.next(enough, 'every report of the engine', { after: from }).catch(() => {
    // The assertion below says what is missing.
  });
  assert.deepEqual(
    counts(),
    expected.map(([, times]) => times),
    'lines the engine reported',
  );
}

/**
 * The SIP entries the core's integration log adds from now on, as the bridge announces
 * them (`logEntry`): what the Log tab shows.
 */
export class CoreLogWatch {
  readonly #raw: string[] = [];
  readonly #changed = new Set<() => void>();
  readonly #off: () => void;

  constructor(phone: Phone) {
    this.#off = phone.probe.on('logEntry', (entry) => {
      if (entry.source !== 'sip') return;
      this.#raw.push(entry.raw);
      for (const changed of this.#changed) changed();
    });
  }

  /** Waits until each `[line, times]` has been added that often, then asserts exactly that often. */
  async kept(expected: readonly (readonly [string, number])[], timeoutMs = 10_000): Promise<void> {
    const counts = () => tally(this.#raw, expected);
    const enough = () => counts().every((count, index) => count >= (expected[index]?.[1] ?? 0));
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#changed.delete(check);
        resolve();
      };
      const check = () => {
        if (enough()) done();
      };
      // The assertion below says what is missing.
      const timer = setTimeout(done, timeoutMs);
      this.#changed.add(check);
      check();
    });
    assert.deepEqual(
      counts(),
      expected.map(([, times]) => times),
      'lines the core kept',
    );
  }

  close(): void {
    this.#off();
  }
}

/** The core's own integration log holds a SIP entry matching `pattern` (what the Log tab shows). */
export async function coreLogged(phone: Phone, pattern: RegExp): Promise<void> {
  const { log } = await phone.probe.snapshot();
  const sip = log.filter((entry) => entry.source === 'sip').map((entry) => entry.raw);
  assert.ok(
    sip.some((raw) => pattern.test(raw)),
    `no SIP log entry matches ${pattern}:\n${sip.slice(0, 20).join('\n')}`,
  );
}

/** The line table is what Settings asked for (`lines` lines, 1..N) with at most one call each. */
export function assertValidTable(table: LineTable, lines: number): void {
  assert.deepEqual(
    table.lines.map((entry) => entry.line),
    Array.from({ length: lines }, (_, index) => index + 1),
  );
  const ids = table.lines.flatMap((entry) => (entry.call === null ? [] : [entry.call.id]));
  assert.equal(new Set(ids).size, ids.length, `one call on two lines: ${ids.join()}`);
}

/**
 * Every line idle on the page, then in the core's table. In that order: the page shows
 * what the core has sent it, while the core may not have read the engine's last reports
 * when a snapshot asked on another socket is answered.
 */
export async function assertLinesFree(phone: Phone, lines: number): Promise<void> {
  for (let line = 1; line <= lines; line += 1) await waitForLine(phone.page, line, 'idle');
  const { table } = await phone.probe.snapshot();
  assertValidTable(table, lines);
  const busy = table.lines.filter((entry) => entry.call !== null);
  assert.deepEqual(busy, [], 'a line is still busy');
}

/**
 * Still a phone: the header says Registered, and a plain call from `caller` rings on
 * line 1, is answered through the bridge, and ends when the caller hangs up.
 */
export async function stillAPhone(
  phone: Phone,
  rig: SipRig,
  { caller, user }: { readonly caller: string; readonly user: string },
): Promise<void> {
  await phone.page
    .locator('[data-backend][data-state="ready"]')
    .filter({ hasText: `Registered as sip:${user}@` })
    .waitFor({ timeout: 5_000 });
  const calling = callWithSipp(rig, { from: caller, to: user, lengthMs: 300 });
  await waitForLine(phone.page, 1, 'ringing');
  const answered = await phone.probe.invoke('command', { kind: 'Answer', line: 1 });
  assert.ok(answered.ok, JSON.stringify(answered));
  await waitForLine(phone.page, 1, 'established');
  await waitForLine(phone.page, 1, 'idle');
  await callerGot(calling, 'SIP/2.0 200 OK');
}

/** Sends each datagram, in order, to the rig's SIP port, as a peer on the network would. */
export async function sendDatagrams(
  rig: Pick<SipRig, 'udpPort'>,
  datagrams: readonly (string | Uint8Array)[],
): Promise<void> {
  const socket = createSocket('udp4');
  try {
    for (const datagram of datagrams) {
      await new Promise<void>((sent, fail) => {
        socket.send(datagram, rig.udpPort, '127.0.0.1', (error) => {
          if (error) fail(error);
          else sent();
        });
      });
    }
  } finally {
    socket.close();
  }
}

/** How many calls (Call-IDs) of a sipp run received `statusLine` at least once. */
export function callsThatGot(result: SippResult, statusLine: string): number {
  const calls = result.messages
    .filter((message) => message.direction === 'received' && message.startLine === statusLine)
    .map((message) => /^Call-ID:\s*(.*)$/im.exec(message.text)?.[1]?.trim());
  return new Set(calls).size;
}

export interface FloodOptions {
  /** A file under e2e/sip/scenarios/ without `.xml`. */
  readonly scenario: string;
  readonly from: string;
  readonly to: string;
  /** -m: calls in all. */
  readonly calls: number;
  /** -r: new calls a second. */
  readonly rate: number;
  /** -d: what each call's `<pause />` waits. */
  readonly pauseMs: number;
  /** sipp gives up after this; it is killed 5 s later. */
  readonly timeoutMs: number;
}

/**
 * sipp placing `calls` calls at `rate` a second from `from` (authenticated) to `to`, to
 * its end. sipp.ts runs one call per sipp; a flood needs -m, -r and -l of its own.
 */
export async function floodWithSipp(rig: SipRig, options: FloodOptions): Promise<SippResult> {
  const port = await freeUdpPort();
  const base = join(rig.dir, `flood-${port}`);
  const args = [
    `127.0.0.1:${rig.udpPort}`,
    '-sf',
    join(SCENARIOS, `${options.scenario}.xml`),
    '-s',
    options.to,
    '-i',
    '127.0.0.1',
    '-mi',
    '127.0.0.1',
    '-p',
    String(port),
    '-m',
    String(options.calls),
    '-r',
    String(options.rate),
    '-rp',
    '1000',
    // Every call may be open at once: the flood is the point.
    '-l',
    String(options.calls),
    '-d',
    String(options.pauseMs),
    '-nostdin',
    '-timeout',
    `${Math.ceil(options.timeoutMs / 1000)}s`,
    '-timeout_error',
    '-trace_msg',
    '-message_file',
    `${base}.messages.log`,
    '-trace_err',
    '-error_file',
    `${base}.errors.log`,
    '-key',
    'domain',
    rig.domain,
    '-key',
    'caller',
    options.from,
    '-au',
    options.from,
    '-ap',
    rig.password(options.from),
  ];
  const child = spawn(binary('sipp'), args, {
    cwd: rig.dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid ?? 0;
  const forget = pid === 0 ? () => undefined : killAtExit(pid);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-64 * 1024);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const killer = setTimeout(() => killGroup(pid), options.timeoutMs + 5_000);
  const exitCode = await new Promise<number | null>((resolve) => {
    child.once('close', resolve);
  });
  clearTimeout(killer);
  forget();
  const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');
  return {
    exitCode,
    messages: parseTrace(read(`${base}.messages.log`)),
    errors: read(`${base}.errors.log`),
    output,
  };
}
