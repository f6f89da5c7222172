import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { binary, freeUdpPort, killAtExit, killGroup, portBound, until } from './process.ts';

/**
 * sipp against the rig, bounded in time and in calls (-m 1), its SIP messages traced to
 * a file (-trace_msg) so that a test can read what was said, e.g. the SDP direction of a
 * re-INVITE.
 */

export const SCENARIOS = join(import.meta.dirname, 'scenarios');

/** Where sipp sends to: the rig's UDP socket and the domain of its URIs. */
export interface SippTarget {
  readonly domain: string;
  readonly udpPort: number;
  /** The folder that receives the traces. */
  readonly dir: string;
}

export interface SippOptions {
  /** A file name under e2e/sip/scenarios/ without `.xml` (`uac-call`), or an absolute path. */
  readonly scenario: string;
  /** -s: the user part of the Request-URI (the callee, or the user registering). */
  readonly service: string;
  /** -au / -ap: the credentials for a 401/407 challenge. */
  readonly auth?: { readonly user: string; readonly password: string };
  /** -key NAME VALUE for each entry: [NAME] in the scenario. `domain` is always given. */
  readonly keys?: Readonly<Record<string, string>>;
  /** -p: the local SIP port. A free one by default. */
  readonly localPort?: number;
  /** -mp: the local media port. By default sipp takes the first free even one from 6000. */
  readonly mediaPort?: number;
  /** -d: what `<pause />` waits, in ms (the UAC's call length, the UAS's ring). */
  readonly pauseMs?: number;
  /** -timeout: sipp gives up (and fails) after this; it is killed 5 s later. */
  readonly timeoutMs?: number;
}

export interface SippMessage {
  readonly direction: 'sent' | 'received';
  /** `INVITE sip:1003@... SIP/2.0` or `SIP/2.0 200 OK`. */
  readonly startLine: string;
  /** The whole message, LF line ends. */
  readonly text: string;
  /** What follows the blank line: the SDP, if any. */
  readonly body: string;
}

export interface SippResult {
  /** sipp's exit code: 0 when every call succeeded, 1 when one failed, null on a signal. */
  readonly exitCode: number | null;
  readonly messages: readonly SippMessage[];
  /** Its error log (-trace_err): unexpected messages, timeouts. */
  readonly errors: string;
  /** Its screen and stderr, for a failure's message. */
  readonly output: string;
}

export interface RunningSipp {
  readonly pid: number;
  /** The local SIP port (its Contact). */
  readonly port: number;
  /** Resolves once its SIP socket is bound: a UAS is then ready for the INVITE. */
  readonly bound: Promise<void>;
  readonly done: Promise<SippResult>;
  /** SIGKILL, if it has not ended; resolves once it has. */
  kill(): Promise<SippResult>;
}

const OUTPUT_KEPT = 64 * 1024;
let runs = 0;

/** Starts sipp; `done` resolves when it exits by itself, or after its timeout. */
export async function startSipp(target: SippTarget, options: SippOptions): Promise<RunningSipp> {
  const port = options.localPort ?? (await freeUdpPort());
  const timeoutMs = options.timeoutMs ?? 15_000;
  runs += 1;
  const base = join(target.dir, `sipp-${runs}-${options.scenario.replace(/\W+/g, '_')}`);
  const scenario = isAbsolute(options.scenario)
    ? options.scenario
    : join(SCENARIOS, `${options.scenario}.xml`);
  const keys = { domain: target.domain, ...options.keys };
  const args = [
    `127.0.0.1:${target.udpPort}`,
    '-sf',
    scenario,
    '-s',
    options.service,
    '-i',
    '127.0.0.1',
    '-mi',
    '127.0.0.1',
    '-p',
    String(port),
    '-m',
    '1',
    '-nostdin',
    '-timeout',
    `${Math.ceil(timeoutMs / 1000)}s`,
    '-timeout_error',
    '-trace_msg',
    '-message_file',
    `${base}.messages.log`,
    '-trace_err',
    '-error_file',
    `${base}.errors.log`,
    ...Object.entries(keys).flatMap(([name, value]) => ['-key', name, value]),
    ...(options.auth ? ['-au', options.auth.user, '-ap', options.auth.password] : []),
    ...(options.mediaPort === undefined ? [] : ['-mp', String(options.mediaPort)]),
    ...(options.pauseMs === undefined ? [] : ['-d', String(options.pauseMs)]),
  ];
  // A group of its own, so that a crashed test file's exit can still end it.
  const child = spawn(binary('sipp'), args, {
    cwd: target.dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid ?? 0;
  const forget = pid === 0 ? () => undefined : killAtExit(pid);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const killer = setTimeout(() => killGroup(pid), timeoutMs + 5_000);
  const done = new Promise<SippResult>((resolve) => {
    child.once('close', (code) => {
      clearTimeout(killer);
      forget();
      resolve({
        exitCode: code,
        messages: parseTrace(readIfThere(`${base}.messages.log`)),
        errors: readIfThere(`${base}.errors.log`),
        output,
      });
    });
  });
  let ended = false;
  void done.then(() => {
    ended = true;
  });
  const bound = until(
    () => ended || portBound('udp', port),
    `sipp ${options.scenario} to bind UDP ${port}`,
  ).then(() => {
    if (ended) throw new Error(`sipp ${options.scenario} ended before it was ready:\n${output}`);
  });
  // A caller that only awaits `done` must not see an unhandled rejection from `bound`.
  bound.catch(() => undefined);
  return {
    pid,
    port,
    bound,
    done,
    kill: () => {
      if (!ended) killGroup(pid);
      return done;
    },
  };
}

/** Runs sipp to its end (bounded by its timeout). */
export async function runSipp(target: SippTarget, options: SippOptions): Promise<SippResult> {
  return (await startSipp(target, options)).done;
}

function readIfThere(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

const SEPARATOR = /^-{20,} .*$/m;

/**
 * sipp's -trace_msg file: blocks opened by a line of dashes and a timestamp, then
 * `UDP message sent (N bytes):` or `UDP message received [N] bytes :`, a blank line and
 * the message. Anything else in the file (sipp's own remarks) is passed over.
 */
export function parseTrace(trace: string): SippMessage[] {
  const messages: SippMessage[] = [];
  for (const block of trace.replace(/\r\n/g, '\n').split(SEPARATOR)) {
    const head = /^\s*\w+ message (sent|received)\b[^\n]*\n\n/.exec(block);
    if (!head) continue;
    const text = block.slice(head[0].length).replace(/\n+$/, '\n');
    const split = text.indexOf('\n\n');
    messages.push({
      direction: head[1] === 'sent' ? 'sent' : 'received',
      startLine: text.slice(0, text.indexOf('\n')).trim(),
      text,
      body: split === -1 ? '' : text.slice(split + 2).trim(),
    });
  }
  return messages;
}

/** The port of the first audio m= line of an SDP, or undefined. */
export function audioPort(sdp: string): number | undefined {
  const match = /^m=audio (\d+) /m.exec(sdp);
  return match ? Number(match[1]) : undefined;
}

/** The direction attribute of an SDP (sendrecv when it has none, as RFC 3264 says). */
export function sdpDirection(sdp: string): 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive' {
  const match = /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m.exec(sdp);
  const direction = match?.[1];
  return direction === 'sendonly' || direction === 'recvonly' || direction === 'inactive'
    ? direction
    : 'sendrecv';
}
