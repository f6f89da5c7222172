import { createHash } from 'node:crypto';
import type { BackendState } from '../../../shared/bridge/contract.ts';
import type {
  EngineAccount,
  EngineReport,
  RegistrationState,
} from '../../../shared/bridge/engine.ts';
import type { CallEvent } from '../../../shared/model/call-event.ts';
import type { Command, CommandKind } from '../../../shared/model/command.ts';
import { SIP_PASSWORD_SECRET } from '../../../shared/model/settings.ts';
import { parseSipServer } from '../../../shared/protocols/sip-server.ts';
import { Signal } from '../signal.ts';
import type { Backend, BackendContext, BackendStatus } from './backend.ts';

/** What a registered softphone offers; everything else is TAPI's or a desk phone's. */
const REGISTERED: ReadonlySet<CommandKind> = new Set<CommandKind>([
  'MakeCall',
  'Answer',
  'Drop',
  'Hold',
  'Retrieve',
  'Transfer',
  'SendDtmf',
  'SelectLine',
  'Mute',
  'Silence',
]);
/** Not registered: calls already up can still be held, ended or switched between. */
const UNREGISTERED: ReadonlySet<CommandKind> = new Set<CommandKind>([
  'Drop',
  'Hold',
  'Retrieve',
  'SendDtmf',
  'SelectLine',
  'Mute',
  'Silence',
]);

export const NEEDS_PAGE = 'the SIP engine needs the Comms Manager open';

/**
 * How long calls of an engine whose page went away may wait to be confirmed by the page
 * that hosts the engine next: the page itself keeps its calls for 30 s after losing the
 * core (renderer/sip/engine-host.ts), and on coming back it confirms every call it has.
 */
export const ORPHAN_GRACE_MS = 35_000;
export const LOST_WITH_PAGE = 'lost with the Comms Manager page that had the call';

/** MD5(user:realm:password), RFC 2617's HA1: all the page's digest needs, never the password. */
export function digestHa1(user: string, realm: string, password: string): string {
  return createHash('md5').update(`${user}:${realm}:${password}`, 'utf8').digest('hex');
}

/**
 * The SIP softphone as a backend. Its engine (JsSIP) runs in the page the core chose to
 * host it; this side holds the account and its secret, decides when to register, turns
 * the engine's reports into call events and its registration into a status, and sends
 * commands over the bridge like any other backend's I/O.
 */
export function createSipBackend(
  context: BackendContext<'sip'>,
  orphanGraceMs = ORPHAN_GRACE_MS,
): Backend {
  const { settings, secrets, engine, report, log } = context;
  const statusChanged = new Signal<BackendStatus>();
  const server = parseSipServer(settings.server);
  const host = server.ok ? server.value.host : '';
  const domain = settings.domain === '' ? host : settings.domain;
  const authUser = settings.authUser === '' ? settings.username : settings.authUser;
  // The registrar's realm, once it has named one; most PBXs use the domain.
  let realm = domain;
  let registration: RegistrationState = { state: 'unregistered', reason: null };
  let closed = false;

  const account = (): EngineAccount => {
    const password = secrets.get(SIP_PASSWORD_SECRET);
    return {
      server: server.ok ? server.value.url : settings.server,
      uri: `sip:${settings.username}@${domain}`,
      authorizationUser: authUser,
      displayName: settings.displayName,
      realm,
      ha1: password === null ? null : digestHa1(authUser, realm, password),
      register: settings.register,
      expires: settings.registerExpires,
      outboundProxy: settings.outboundProxy === '' ? null : settings.outboundProxy,
      dtmf: settings.dtmf,
    };
  };

  const state = (): BackendState => {
    if (!engine.hasHost) {
      return { state: 'unavailable', summary: 'Not registered', reason: NEEDS_PAGE };
    }
    switch (registration.state) {
      case 'registered':
        return { state: 'ready', summary: `Registered as ${registration.aor}` };
      case 'registering':
        return { state: 'connecting', summary: 'Registering…' };
      case 'failed':
        return {
          state: 'unavailable',
          summary: 'Registration failed',
          reason: registration.reason,
        };
      case 'unregistered':
        return {
          state: 'unavailable',
          summary: 'Not registered',
          reason:
            registration.reason ??
            (settings.register ? 'not yet registered' : 'registration is off in Settings'),
        };
    }
  };
  const status = (): BackendStatus => ({
    state: state(),
    capabilities: !engine.hasHost
      ? new Set()
      : registration.state === 'registered' || !settings.register
        ? REGISTERED
        : UNREGISTERED,
  });
  const changed = () => {
    statusChanged.emit(status());
  };

  const start = () => {
    if (closed || !engine.hasHost) return;
    registration = { state: 'registering' };
    changed();
    void engine.request({ kind: 'start', account: account() }).then((result) => {
      if (!result.ok && !closed) {
        registration = { state: 'failed', reason: result.error.message };
        changed();
      }
    });
  };

  /**
   * The engine's calls by ref, from its reports, so that calls lost with their page (a
   * crash, a killed tab) are ended here rather than left on their lines for good.
   */
  const live = new Map<string, number>();
  let unconfirmed = new Set<string>();
  let sweep: ReturnType<typeof setTimeout> | null = null;
  const track = (event: CallEvent) => {
    if (!('ref' in event) || event.ref === undefined) return;
    unconfirmed.delete(event.ref);
    if (event.kind === 'Terminated') live.delete(event.ref);
    else live.set(event.ref, event.line);
  };
  const awaitConfirmation = () => {
    if (sweep !== null) clearTimeout(sweep);
    unconfirmed = new Set(live.keys());
    if (unconfirmed.size === 0) return;
    sweep = setTimeout(() => {
      sweep = null;
      for (const ref of unconfirmed) {
        const line = live.get(ref);
        live.delete(ref);
        if (line === undefined) continue;
        log.add({
          direction: 'in',
          session: null,
          from: 'SIP',
          raw: `call ${ref} on line ${line}`,
          reading: '',
          error: LOST_WITH_PAGE,
          outcome: 'ended',
        });
        report({ kind: 'Terminated', line, ref, reason: 'failed', detail: LOST_WITH_PAGE });
      }
      unconfirmed = new Set();
    }, orphanGraceMs);
  };

  const onReport = (message: EngineReport) => {
    switch (message.kind) {
      case 'registration':
        registration = message.registration;
        changed();
        return;
      case 'call':
        track(message.event);
        report(message.event);
        return;
      case 'realm':
        // A realm other than the domain: compute the HA1 for it and register again.
        if (message.realm !== realm) {
          realm = message.realm;
          start();
        }
        return;
      case 'log':
        log.add({
          direction: message.direction,
          session: null,
          from: message.direction === 'in' ? 'SIP' : 'to SIP',
          raw: message.summary,
          reading: '',
          error: message.error,
          outcome: '',
        });
        return;
    }
  };

  const unsubscribe = [
    engine.reports.on(onReport),
    engine.changed.on(() => {
      awaitConfirmation();
      registration = { state: 'unregistered', reason: null };
      if (engine.hasHost) start();
      else changed();
    }),
  ];
  start();

  return {
    type: 'sip',
    acceptsPushedEvents: false,
    ownNumber: settings.username,
    connectSources: server.ok ? [server.value.origin] : [],
    status,
    statusChanged,
    // A command the phone will take once registered says so, not "not available".
    refusal: (kind) => {
      if (!engine.hasHost || !REGISTERED.has(kind) || status().capabilities.has(kind)) {
        return null;
      }
      return registration.state === 'registering'
        ? `${kind} must wait: the SIP phone is still registering`
        : `${kind} needs the SIP phone registered (${state().summary.toLowerCase()})`;
    },
    async execute(command: Command) {
      const result = await engine.request({ kind: 'command', command });
      if (result.ok && command.kind === 'SelectLine') {
        report({ kind: 'LineSelected', line: command.line });
      }
      return result;
    },
    async close() {
      closed = true;
      if (sweep !== null) clearTimeout(sweep);
      for (const off of unsubscribe) off();
      if (engine.hasHost) await engine.request({ kind: 'stop' });
    },
  };
}
