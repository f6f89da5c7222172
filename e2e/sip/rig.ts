import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  binary,
  endDaemon,
  freeTcpPort,
  freeUdpPort,
  portBound,
  startDaemon,
  until,
  type Daemon,
} from './process.ts';
import { startSipp, type RunningSipp, type SippOptions, type SippResult } from './sipp.ts';

/**
 * The SIP test rig (DESIGN.md, "Real components"): Kamailio from Debian as registrar and
 * record-routing proxy on loopback, with digest authentication against provisioned
 * users, WebSocket for JsSIP and UDP for sipp; rtpengine in front of the media when asked
 * for. One fresh Kamailio, temporary folder and set of free ports per rig: a closed
 * browser's WebSocket contact stays in the location table of the Kamailio it used.
 */

export interface SipUser {
  readonly user: string;
  readonly password: string;
}

export interface RigOptions {
  /** Bridge WebRTC (DTLS-SRTP, ICE) and plain RTP/AVP through rtpengine. Off by default. */
  readonly rtpengine?: boolean;
  /** How many subscribers to provision: 1001, 1002, ... Five by default. */
  readonly users?: number;
  /**
   * With rtpengine: where it sends a JSON object per DTMF event (RFC 4733) it sees in the
   * media, over UDP to 127.0.0.1 (`--dtmf-log-dest`). None by default.
   */
  readonly dtmfLogPort?: number;
  /** These subscribers instead, with their passwords (a voispeed: link's MD5 hash, say). */
  readonly accounts?: readonly SipUser[];
}

export interface SipRig {
  /** The SIP domain of every URI, and the digest realm. Not in DNS: nothing resolves it. */
  readonly domain: string;
  /** ws://127.0.0.1:PORT/ws, for JsSIP. */
  readonly wsUrl: string;
  readonly wsPort: number;
  /** SIP over UDP on 127.0.0.1, for sipp. */
  readonly udpPort: number;
  readonly users: readonly SipUser[];
  /** Whether rtpengine bridges the media. */
  readonly rtpengine: boolean;
  /** The rig's temporary folder: config, logs, sipp traces. Removed by stop(). */
  readonly dir: string;
  /** The user's provisioned password; throws for a user the rig does not have. */
  password(user: string): string;
  /** The Contact addresses the location table holds for `user`. */
  contacts(user: string): Promise<readonly string[]>;
  /** Whether the location table has a contact for `user`. */
  registered(user: string): Promise<boolean>;
  /** Drops every contact of `user` from the location table (ul.rm). */
  unregister(user: string): Promise<void>;
  /** Kamailio's log (stderr) since it last started. */
  log(): string;
  /** sipp against this rig, to its end. */
  sipp(options: SippOptions): Promise<SippResult>;
  /** sipp against this rig, in the background (a UAS); stop() kills it if still running. */
  startSipp(options: SippOptions): Promise<RunningSipp>;
  /** Kills any sipp still running, ends Kamailio and rtpengine, removes the folder. Safe to call twice. */
  stop(): Promise<void>;
  /** Kamailio stops (SIGTERM) and starts again on the same ports, its location table empty. */
  restart(): Promise<void>;
  /** Kamailio dies (SIGKILL) and its ports close; restart() brings it back. */
  kill(): Promise<void>;
}

export const DOMAIN = 'callbridge.test';
const TEMPLATE = join(import.meta.dirname, 'kamailio.cfg');

/** Starts a rig; its Kamailio is listening when this resolves. */
export async function startRig(options: RigOptions = {}): Promise<SipRig> {
  const dir = mkdtempSync(join(tmpdir(), 'callbridge-sip-rig-'));
  const withRtpengine = options.rtpengine ?? false;
  const users: readonly SipUser[] =
    options.accounts ??
    Array.from({ length: options.users ?? 5 }, (_, index) => ({
      user: String(1001 + index),
      password: randomBytes(6).toString('hex'),
    }));
  const udpPort = await freeUdpPort();
  const wsPort = await freeTcpPort();
  const ngPort = withRtpengine ? await freeUdpPort() : 0;
  const config = join(dir, 'kamailio.cfg');
  writeFileSync(config, kamailioConfig({ udpPort, wsPort, ngPort, dir, users }));

  let rtpengine: Daemon | undefined;
  let kamailio: Daemon | undefined;
  let starts = 0;
  const startKamailio = async () => {
    starts += 1;
    kamailio = await startDaemon(
      binary('kamailio'),
      [
        '-DD',
        '-E',
        '-f',
        config,
        '-P',
        join(dir, 'kamailio.pid'),
        '-w',
        dir,
        '-m',
        '64',
        '-M',
        '8',
        ...(withRtpengine ? ['-A', 'WITH_RTPENGINE'] : []),
      ],
      { cwd: dir, logFile: join(dir, `kamailio-${starts}.log`), ready: /callbridge-rig: ready/ },
    );
    // The first SIP worker is up, but the ctl process may not be, and its rtpengine
    // module answers "Initializing - try later" until it has built its socket list.
    const rpc = withRtpengine ? ['rtpengine.ping', 'all'] : ['core.version'];
    const answer = withRtpengine ? /status: success/ : /kamailio/i;
    await until(
      async () => answer.test(await kamcmd(dir, rpc).catch(() => '')),
      `Kamailio to answer ${rpc.join(' ')}`,
    );
  };
  const endKamailio = async (signal: NodeJS.Signals) => {
    const running = kamailio;
    kamailio = undefined;
    if (!running) return;
    await endDaemon(running, signal);
    // The next Kamailio binds the same ports; a worker of this one may still hold them.
    await until(
      () => !portBound('udp', udpPort) && !portBound('tcp', wsPort),
      `Kamailio's ports ${udpPort}/${wsPort} to close`,
    );
  };

  const target = { domain: DOMAIN, udpPort, dir };
  const sipps = new Set<RunningSipp>();
  const sippAgainstRig = async (sippOptions: SippOptions) => {
    const sipp = await startSipp(target, sippOptions);
    sipps.add(sipp);
    void sipp.done.then(() => sipps.delete(sipp));
    return sipp;
  };

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // A test that failed half-way may have left a sipp waiting for a message.
    await Promise.all([...sipps].map((sipp) => sipp.kill()));
    await endKamailio('SIGTERM');
    if (rtpengine) await endDaemon(rtpengine, 'SIGTERM');
    rtpengine = undefined;
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    // Before Kamailio: its rtpengine module pings the control socket once at start and
    // leaves an instance that did not answer disabled for a minute.
    if (withRtpengine) {
      rtpengine = await startDaemon(
        binary('rtpengine'),
        [
          '--config-file=none',
          '--foreground',
          '--log-stderr',
          // Userspace forwarding: no kernel module on these machines.
          '--table=-1',
          '--interface=127.0.0.1',
          `--listen-ng=127.0.0.1:${ngPort}`,
          // Below the ephemeral range, away from the ports picked for SIP.
          '--port-min=20000',
          '--port-max=29999',
          '--delete-delay=0',
          // Passive towards a WebRTC offer from the start. Otherwise rtpengine answers
          // Chrome's a=setup:actpass by sending a ClientHello at once, then turns passive
          // when Kamailio's answer says DTLS=passive; Chromium 156 takes that early
          // ClientHello as making it the DTLS server, and both ends wait for the other:
          // ICE connects, DTLS never does, no audio flows.
          '--dtls-passive',
          ...(options.dtmfLogPort === undefined
            ? []
            : [`--dtmf-log-dest=127.0.0.1:${options.dtmfLogPort}`]),
        ],
        { cwd: dir, logFile: join(dir, 'rtpengine.log'), ready: /Startup complete/ },
      );
    }
    await startKamailio();
  } catch (error) {
    await stop();
    throw error;
  }

  const contacts = async (user: string) => {
    const dump = await kamcmd(dir, ['ul.lookup', 'location', `s:${user}`]);
    return [...dump.matchAll(/^\s*Address: (\S+)/gm)].map((match) => match[1] ?? '');
  };
  return {
    domain: DOMAIN,
    wsUrl: `ws://127.0.0.1:${wsPort}/ws`,
    wsPort,
    udpPort,
    users,
    rtpengine: withRtpengine,
    dir,
    password(user) {
      const found = users.find((candidate) => candidate.user === user);
      if (!found) throw new Error(`the rig has no user ${user}`);
      return found.password;
    },
    contacts,
    registered: async (user) => (await contacts(user)).length > 0,
    async unregister(user) {
      const answer = await kamcmd(dir, ['ul.rm', 'location', `s:${user}`]);
      if (/error/i.test(answer) && !/not found/i.test(answer)) {
        throw new Error(`ul.rm ${user}: ${answer}`);
      }
    },
    log: () => kamailio?.log() ?? '',
    sipp: async (sippOptions) => (await sippAgainstRig(sippOptions)).done,
    startSipp: sippAgainstRig,
    stop,
    async restart() {
      if (stopped) throw new Error('the rig was stopped');
      await endKamailio('SIGTERM');
      await startKamailio();
    },
    async kill() {
      await endKamailio('SIGKILL');
    },
  };
}

interface ConfigValues {
  readonly udpPort: number;
  readonly wsPort: number;
  readonly ngPort: number;
  readonly dir: string;
  readonly users: readonly SipUser[];
}

/** e2e/sip/kamailio.cfg with its {{NAME}} placeholders filled. */
export function kamailioConfig(values: ConfigValues): string {
  const fill: Record<string, string> = {
    UDP_PORT: String(values.udpPort),
    WS_PORT: String(values.wsPort),
    RTPENGINE_NG_PORT: String(values.ngPort),
    RUN_DIR: values.dir,
    DOMAIN,
    USERS: values.users
      .map(({ user, password }) => `\t$sht(users=>${user}) = "${password}";`)
      .join('\n'),
  };
  return readFileSync(TEMPLATE, 'utf8').replace(/\{\{(\w+)\}\}/g, (placeholder, name: string) => {
    const value = fill[name];
    if (value === undefined) throw new Error(`kamailio.cfg: unknown placeholder ${placeholder}`);
    return value;
  });
}

/**
 * One RPC over the rig's ctl socket. kamcmd exits 0 even when the RPC failed ("error:
 * 500 - AOR not found"), so callers read the text.
 */
export function kamcmd(dir: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      binary('kamcmd'),
      ['-s', `unix:${join(dir, 'kamailio_ctl')}`, ...args],
      { timeout: 5_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`kamcmd ${args.join(' ')}: ${error.message} ${stderr}`));
        else resolve(stdout + stderr);
      },
    );
  });
}

/**
 * A sipp user agent answering calls for `user` on a port of its own: drops the user's
 * earlier contacts (an earlier sipp that has ended would get a forked branch of its own
 * and hold the call up until its timeout), registers that port (register.xml), then runs
 * `scenario` (uas-answer, uas-busy, ...) and resolves once its socket is bound.
 */
export async function answeringSipp(
  rig: SipRig,
  user: string,
  options: Omit<SippOptions, 'service' | 'localPort'> & { readonly localPort?: number },
): Promise<RunningSipp> {
  await rig.unregister(user);
  const registration = await registerWithSipp(rig, user, { localPort: options.localPort });
  const uas = await rig.startSipp({
    ...options,
    service: user,
    localPort: registration.localPort,
  });
  await uas.bound;
  return uas;
}

/** Registers `user` from a sipp on `localPort` (a free one by default); throws on failure. */
export async function registerWithSipp(
  rig: SipRig,
  user: string,
  options: { readonly localPort?: number | undefined; readonly expires?: number } = {},
): Promise<SippResult & { readonly localPort: number }> {
  const localPort = options.localPort ?? (await freeUdpPort());
  const result = await rig.sipp({
    scenario: 'register',
    service: user,
    auth: { user, password: rig.password(user) },
    keys: { expires: String(options.expires ?? 300) },
    localPort,
    timeoutMs: 10_000,
  });
  if (result.exitCode !== 0) {
    throw new Error(`sipp could not register ${user}: ${result.errors}\n${result.output}`);
  }
  return { ...result, localPort };
}

/**
 * A sipp call from `from` to `to` (uac-call.xml, or uac-call-webrtc.xml for a browser
 * without rtpengine), authenticated as `from`, lasting `lengthMs` once answered. With
 * uac-refused the callee must refuse it with 486; with uac-cancel the caller gives up
 * after `lengthMs` of ringing. Resolves with sipp's result, whatever the outcome: a
 * refused call is a test's to judge.
 */
export function callWithSipp(
  rig: SipRig,
  call: {
    readonly from: string;
    readonly to: string;
    readonly scenario?: 'uac-call' | 'uac-call-webrtc' | 'uac-refused' | 'uac-cancel';
    readonly lengthMs?: number;
    readonly timeoutMs?: number;
  },
): Promise<SippResult> {
  return rig.sipp({
    scenario: call.scenario ?? 'uac-call',
    service: call.to,
    auth: { user: call.from, password: rig.password(call.from) },
    keys: { caller: call.from },
    pauseMs: call.lengthMs ?? 200,
    ...(call.timeoutMs === undefined ? {} : { timeoutMs: call.timeoutMs }),
  });
}
