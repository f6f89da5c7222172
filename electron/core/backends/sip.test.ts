import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  BridgeHost,
  EventPayload,
  PageEventName,
  PageSession,
} from '../../../shared/bridge/contract.ts';
import type { EngineCall, EngineReport } from '../../../shared/bridge/engine.ts';
import type { CallEvent } from '../../../shared/model/call-event.ts';
import { defaultSettings, type Extension } from '../../../shared/model/settings.ts';
import { ok } from '../../../shared/result.ts';
import { EngineHost } from '../engine-host.ts';
import { bridgeFor } from '../engine-host.test-support.ts';
import { IntegrationLog } from '../integration-log.ts';
import type { Core } from '../core-api.ts';
import { tempDir } from '../core.test-support.ts';
import { createCore } from '../core.ts';
import { openFileSecretStore, PLAIN_CODEC } from '../store/secret-store.ts';
import { opensNothing } from './backend.test-support.ts';
import { createSipBackend, digestHa1, LOST_WITH_PAGE, NEEDS_PAGE } from './sip.ts';

type Sent = {
  [K in PageEventName]: { readonly name: K; readonly payload: EventPayload<K> };
}[PageEventName];

const cores: Core[] = [];
after(async () => {
  for (const core of cores) await core.close();
});

const SECRET = 'correct horse battery staple';

const sipSettings = (password?: string) => {
  const base = defaultSettings();
  return {
    ...base,
    extension: {
      type: 'sip',
      server: 'ws://127.0.0.1:5066/ws',
      username: '1001',
      ...(password === undefined ? {} : { password }),
      displayName: 'Front desk',
      authUser: '',
      domain: '',
      outboundProxy: '',
      register: true,
      registerExpires: 600,
      dtmf: 'rfc4733',
    },
  };
};

/** A real core, and a page attached to its bridge that records what the core sends it. */
async function coreWithPage() {
  const dir = tempDir('callbridge-sip-');
  const core = await createCore({
    profileDir: dir,
    portOverrides: { 'listen-port': 0 },
    secretCodec: PLAIN_CODEC,
  });
  cores.push(core);
  const sent: Sent[] = [];
  const listeners = new Set<() => void>();
  const session: PageSession = core.bridge.attach({
    send: (name, payload) => {
      sent.push({ name, payload } as Sent);
      for (const listener of listeners) listener();
    },
  });
  const calls = () => sent.flatMap((event) => (event.name === 'engine' ? [event.payload] : []));
  /** Engine call number `index` (from 0), as soon as the core sends it; fails after 5 s. */
  const nextCall = (index: number): Promise<EngineCall> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const call = calls()[index];
        if (call === undefined) return false;
        listeners.delete(check);
        clearTimeout(timer);
        resolve(call);
        return true;
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`no engine call ${index} within 5 s`));
      }, 5_000);
      if (!check()) listeners.add(check);
    });
  const reply = (call: EngineCall) =>
    session.invoke('engineReply', { id: call.id, result: { ok: true, value: null } });
  const backend = async () => {
    const snapshot = await core.bridge.invoke('snapshot', null);
    assert.ok(snapshot.ok);
    return snapshot.value;
  };
  return { core, dir, session, calls, nextCall, reply, backend };
}

describe('SIP backend', () => {
  it('says it needs the Comms Manager open while no page hosts the engine', async () => {
    const { core, backend } = await coreWithPage();
    assert.ok((await core.bridge.invoke('saveSettings', sipSettings(SECRET))).ok);
    const view = await backend();
    assert.deepEqual(view.backend.status, {
      state: 'unavailable',
      summary: 'Not registered',
      reason: NEEDS_PAGE,
    });
    const refused = await core.bridge.invoke('command', { kind: 'MakeCall', number: '1002' });
    assert.deepEqual(refused.ok ? null : refused.error.code, 'backend-unavailable');
    assert.match(refused.ok ? '' : refused.error.message, /needs the Comms Manager open/);
  });

  it('keeps the password in the secret store, and sends the page only its digest HA1', async () => {
    const { core, dir, session, nextCall, reply, backend } = await coreWithPage();
    const saved = await core.bridge.invoke('saveSettings', sipSettings(SECRET));
    assert.ok(saved.ok, JSON.stringify(saved));
    assert.deepEqual(saved.value.secretsSet, ['sip.password']);
    assert.doesNotMatch(readFileSync(join(dir, 'settings.json'), 'utf8'), /horse/);
    assert.ok((await session.invoke('engineOffer', null)).ok);
    const start = await nextCall(0);
    assert.ok(start.request.kind === 'start');
    const { account } = start.request;
    assert.equal(account.uri, 'sip:1001@127.0.0.1');
    assert.equal(account.realm, '127.0.0.1');
    assert.equal(account.ha1, digestHa1('1001', '127.0.0.1', SECRET));
    await reply(start);
    const snapshot = JSON.stringify(await backend());
    assert.doesNotMatch(snapshot, /horse/);
    assert.doesNotMatch(JSON.stringify(start), /horse/);
    assert.equal((await backend()).backend.status.state, 'connecting');
  });

  it('says a call must wait while the phone is still registering, rather than "not available"', async () => {
    const { core, session, nextCall, reply } = await coreWithPage();
    assert.ok((await core.bridge.invoke('saveSettings', sipSettings(SECRET))).ok);
    await session.invoke('engineOffer', null);
    await reply(await nextCall(0));
    const refused = await core.bridge.invoke('command', { kind: 'MakeCall', number: '1002' });
    assert.equal(
      refused.ok ? null : refused.error.message,
      'MakeCall must wait: the SIP phone is still registering',
    );
    const conference = await core.bridge.invoke('command', { kind: 'Conference' });
    assert.match(conference.ok ? '' : conference.error.message, /not available with the sip/);
  });

  it('shows the registration the engine reports, and routes commands to it', async () => {
    const { core, session, nextCall, reply, backend } = await coreWithPage();
    assert.ok((await core.bridge.invoke('saveSettings', sipSettings(SECRET))).ok);
    await session.invoke('engineOffer', null);
    await reply(await nextCall(0));
    const registered = await session.invoke('engineReport', {
      kind: 'registration',
      registration: { state: 'registered', aor: 'sip:1001@127.0.0.1' },
    });
    assert.ok(registered.ok, JSON.stringify(registered));
    const view = await backend();
    assert.deepEqual(view.backend.status, {
      state: 'ready',
      summary: 'Registered as sip:1001@127.0.0.1',
    });
    assert.ok(view.capabilities.includes('MakeCall'));

    const dialing = core.bridge.invoke('command', { kind: 'MakeCall', number: '1002' });
    const command = await nextCall(1);
    assert.deepEqual(command.request, {
      kind: 'command',
      command: { kind: 'MakeCall', number: '1002' },
    });
    await reply(command);
    assert.ok((await dialing).ok);

    // The engine's call events move the line table like any other backend's.
    const event = await session.invoke('engineReport', {
      kind: 'call',
      event: { kind: 'Dialing', line: 1, number: '1002', ref: 'call-id-1' },
    });
    assert.ok(event.ok);
    assert.equal((await backend()).table.lines[0]?.call?.phase, 'dialing');

    // What the engine sent and received, summarised, is in the integration log as the SIP
    // softphone's.
    assert.ok(
      (
        await session.invoke('engineReport', {
          kind: 'log',
          direction: 'in',
          summary: '486 Busy Here from 1002',
          error: null,
        })
      ).ok,
    );
    const [logged] = (await backend()).log;
    assert.deepEqual(
      [logged?.source, logged?.direction, logged?.raw],
      ['sip', 'in', '486 Busy Here from 1002'],
    );

    const failed = await session.invoke('engineReport', {
      kind: 'registration',
      registration: { state: 'failed', reason: '403 wrong user name or password' },
    });
    assert.ok(failed.ok);
    assert.deepEqual((await backend()).backend.status, {
      state: 'unavailable',
      summary: 'Registration failed',
      reason: '403 wrong user name or password',
    });
  });

  it('registers again with the HA1 for the realm the registrar names', async () => {
    const { core, session, nextCall, reply } = await coreWithPage();
    assert.ok((await core.bridge.invoke('saveSettings', sipSettings(SECRET))).ok);
    await session.invoke('engineOffer', null);
    await reply(await nextCall(0));
    await session.invoke('engineReport', { kind: 'realm', realm: 'asterisk' });
    const again = await nextCall(1);
    assert.ok(again.request.kind === 'start');
    assert.equal(again.request.account.realm, 'asterisk');
    assert.equal(again.request.account.ha1, digestHa1('1001', 'asterisk', SECRET));
  });

  it('turns "registration lost" when the hosting page goes away', async () => {
    const { core, session, nextCall, reply, backend } = await coreWithPage();
    assert.ok((await core.bridge.invoke('saveSettings', sipSettings(SECRET))).ok);
    await session.invoke('engineOffer', null);
    await reply(await nextCall(0));
    await session.invoke('engineReport', {
      kind: 'registration',
      registration: { state: 'registered', aor: 'sip:1001@127.0.0.1' },
    });
    session.detach();
    assert.deepEqual((await backend()).backend.status, {
      state: 'unavailable',
      summary: 'Not registered',
      reason: NEEDS_PAGE,
    });
  });
});

describe('SIP calls lost with their page', () => {
  /** A page of the real bridge that answers every engine request at once. */
  function page(bridge: BridgeHost) {
    let session: PageSession | null = null;
    session = bridge.attach({
      send: (name, payload) => {
        if (name !== 'engine' || session === null) return;
        const { id } = payload as EngineCall;
        void session.invoke('engineReply', { id, result: { ok: true, value: null } });
      },
    });
    return session;
  }

  const incoming = (ref: string, line: number): EngineReport => ({
    kind: 'call',
    event: { kind: 'Incoming', line, ref, number: '1002' },
  });

  async function backendWithHost(graceMs: number) {
    const engine = new EngineHost();
    const bridge = bridgeFor(engine);
    const reported: CallEvent[] = [];
    // The sweep ends every unconfirmed call in one go: the first end it reports is all of them.
    let sweptOnce: (() => void) | null = null;
    const swept = new Promise<void>((resolve) => {
      sweptOnce = resolve;
    });
    const settings = sipSettings().extension as Extract<Extension, { type: 'sip' }>;
    const backend = createSipBackend(
      {
        report: (event) => {
          reported.push(event);
          if (event.kind === 'Terminated') queueMicrotask(() => sweptOnce?.());
          return ok(null);
        },
        settings,
        secrets: await openFileSecretStore(tempDir('callbridge-sip-orphans-'), PLAIN_CODEC),
        engine,
        log: new IntegrationLog().forSource('sip'),
        openExternal: opensNothing,
      },
      graceMs,
    );
    const first = page(bridge);
    await first.invoke('engineOffer', null);
    return { bridge, backend, reported, first, swept };
  }

  const ended = (events: readonly CallEvent[]) =>
    events.flatMap((event) => (event.kind === 'Terminated' ? [event.ref] : []));

  it('ends the calls of a page that went away once no page confirms them', async () => {
    const { bridge, backend, reported, first, swept } = await backendWithHost(50);
    await first.invoke('engineReport', incoming('a@pbx', 1));
    await first.invoke('engineReport', incoming('b@pbx', 2));
    // Another page takes over; its engine has no calls, so it confirms none.
    const second = page(bridge);
    await second.invoke('engineOffer', null);
    first.detach();
    await swept;
    assert.deepEqual(ended(reported).sort(), ['a@pbx', 'b@pbx']);
    const last = reported.at(-1);
    assert.equal(last?.kind === 'Terminated' ? last.detail : null, LOST_WITH_PAGE);
    await backend.close();
  });

  it('keeps the calls the page confirms when it comes back as the host', async () => {
    const { bridge, backend, reported, first, swept } = await backendWithHost(50);
    await first.invoke('engineReport', incoming('a@pbx', 1));
    await first.invoke('engineReport', incoming('b@pbx', 2));
    first.detach();
    const back = page(bridge);
    await back.invoke('engineOffer', null);
    // Its resync confirms line 1's call; line 2's was lost meanwhile.
    await back.invoke('engineReport', incoming('a@pbx', 1));
    await swept;
    assert.deepEqual(ended(reported), ['b@pbx']);
    await backend.close();
  });
});
