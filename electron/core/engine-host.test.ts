import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  BridgeHost,
  EventPayload,
  PageEventName,
  PageSession,
} from '../../shared/bridge/contract.ts';
import type { EngineCall, EngineReport, EngineRole } from '../../shared/bridge/engine.ts';
import {
  ENGINE_MAX_OUTSTANDING,
  ENGINE_MESSAGES,
  EngineHost,
  commandError,
} from './engine-host.ts';
import { err } from '../../shared/result.ts';
import { bridgeFor } from './engine-host.test-support.ts';

type Sent = {
  [K in PageEventName]: { readonly name: K; readonly payload: EventPayload<K> };
}[PageEventName];

interface TestPage {
  readonly session: PageSession;
  readonly sent: Sent[];
  roles(): EngineRole[];
  calls(): EngineCall[];
}

function attach(bridge: BridgeHost): TestPage {
  const sent: Sent[] = [];
  const session = bridge.attach({
    send: (name, payload) => {
      sent.push({ name, payload } as Sent);
    },
  });
  return {
    session,
    sent,
    roles: () => sent.flatMap((event) => (event.name === 'engineRole' ? [event.payload] : [])),
    calls: () => sent.flatMap((event) => (event.name === 'engine' ? [event.payload] : [])),
  };
}

async function offer(page: TestPage): Promise<boolean> {
  const answer = await page.session.invoke('engineOffer', null);
  assert.ok(answer.ok, JSON.stringify(answer));
  return answer.value.hosting;
}

function setup() {
  const engine = new EngineHost();
  const bridge = bridgeFor(engine);
  const changes: boolean[] = [];
  engine.changed.on(({ hosting }) => changes.push(hosting));
  return { engine, bridge, changes };
}

/** Two pages that offered: the first hosts. */
async function hostAndOther() {
  const { engine, bridge } = setup();
  const host = attach(bridge);
  const other = attach(bridge);
  assert.equal(await offer(host), true);
  assert.equal(await offer(other), false);
  return { engine, bridge, host, other };
}

const REGISTERED: EngineReport = {
  kind: 'registration',
  registration: { state: 'registered', aor: 'sip:1001@127.0.0.1' },
};

describe('EngineHost: which page hosts', () => {
  it('the first page to offer hosts, and hears so before the backend is told', async () => {
    const { engine, bridge, changes } = setup();
    const first = attach(bridge);
    const second = attach(bridge);
    let rolesWhenTold = -1;
    engine.changed.on(() => {
      rolesWhenTold = first.roles().length;
    });
    assert.equal(engine.hasHost, false);
    assert.equal(await offer(first), true);
    assert.equal(await offer(second), false);
    assert.equal(await offer(first), true, 'offering again changes nothing');
    assert.equal(engine.hasHost, true);
    assert.deepEqual(changes, [true]);
    assert.equal(rolesWhenTold, 1);
    assert.deepEqual(first.roles(), [{ hosting: true }]);
    assert.deepEqual(second.sent, []);
  });

  it('the next page in offer order takes over when the host goes; none left, no host', async () => {
    const { engine, bridge, changes } = setup();
    const [a, b, c] = [attach(bridge), attach(bridge), attach(bridge)];
    for (const page of [a, b, c]) await offer(page);
    b.session.detach();
    assert.deepEqual(changes, [true], 'a page that did not host going changes nothing');
    const pending = engine.request({ kind: 'stop' });
    a.session.detach();
    assert.deepEqual(
      await pending,
      err({ code: 'backend-unavailable', message: ENGINE_MESSAGES.hostGone }),
    );
    assert.deepEqual(c.roles(), [{ hosting: true }]);
    assert.deepEqual(changes, [true, true]);
    assert.equal((await engine.request({ kind: 'stop' }, 10)).ok, false);
    assert.equal(c.calls().length, 1, 'the new host gets what is asked after it took over');
    c.session.detach();
    assert.deepEqual(changes, [true, true, false]);
    assert.equal(engine.hasHost, false);
    assert.deepEqual(b.sent, []);
  });

  it('refuses every engine channel to a caller that is not a page', async () => {
    const { engine, bridge } = setup();
    const refused = err({ code: 'refused', message: ENGINE_MESSAGES.noPage });
    assert.deepEqual(await bridge.invoke('engineOffer', null), refused);
    assert.deepEqual(
      await bridge.invoke('engineReply', { id: 1, result: { ok: true, value: null } }),
      refused,
    );
    assert.deepEqual(await bridge.invoke('engineReport', REGISTERED), refused);
    assert.equal(engine.hasHost, false);
  });

  it('refuses what a page sends after it detached, and sends it nothing more', async () => {
    const { engine, bridge } = setup();
    const page = attach(bridge);
    page.session.detach();
    const answer = await page.session.invoke('engineOffer', null);
    assert.equal(answer.ok ? '' : answer.error.code, 'refused');
    assert.equal(engine.hasHost, false);
    assert.deepEqual(page.sent, []);
  });
});

describe('EngineHost: requests and replies', () => {
  it('delivers a request to the host alone and resolves with its reply', async () => {
    const { engine, host, other } = await hostAndOther();
    const answered = engine.request({ kind: 'command', command: { kind: 'Answer', line: 1 } });
    const [call] = host.calls();
    assert.ok(call);
    assert.deepEqual(call.request, { kind: 'command', command: { kind: 'Answer', line: 1 } });
    assert.deepEqual(other.sent, []);
    const fromOther = await other.session.invoke('engineReply', {
      id: call.id,
      result: { ok: true, value: null },
    });
    assert.deepEqual(fromOther, err({ code: 'refused', message: ENGINE_MESSAGES.notHost }));
    assert.equal(engine.outstanding, 1, 'a reply from another page leaves the request pending');
    const reply = { id: call.id, result: { ok: true as const, value: null } };
    assert.equal((await host.session.invoke('engineReply', reply)).ok, true);
    assert.deepEqual(await answered, { ok: true, value: null });
    const late = await host.session.invoke('engineReply', reply);
    assert.match(late.ok ? '' : late.error.message, /no request \d+ is awaiting an answer/);
    assert.equal(engine.outstanding, 0);
  });

  it('maps the page error codes into the core', async () => {
    const { engine, bridge } = setup();
    const host = attach(bridge);
    await offer(host);
    const cases = [
      [
        { code: 'refused-by-far-end', message: '486 Busy Here', status: 486 },
        { code: 'refused-by-far-end', message: '486 Busy Here', status: 486 },
      ],
      [
        { code: 'not-capable', message: 'no transfer' },
        { code: 'not-capable', message: 'no transfer' },
      ],
      [
        { code: 'TypeError', message: 'x is undefined' },
        {
          code: 'backend-unavailable',
          message: 'the SIP engine failed (TypeError): x is undefined',
        },
      ],
    ] as const;
    for (const [error, expected] of cases) {
      const answered = engine.request({ kind: 'stop' });
      const id = host.calls().at(-1)?.id ?? -1;
      await host.session.invoke('engineReply', { id, result: { ok: false, error } });
      assert.deepEqual(await answered, err(expected));
      assert.deepEqual(commandError(error), expected);
    }
  });

  it('answers timed-out when the host does not reply, and backend-unavailable with no host', async () => {
    const { engine, bridge } = setup();
    assert.deepEqual(
      await engine.request({ kind: 'stop' }),
      err({ code: 'backend-unavailable', message: ENGINE_MESSAGES.noHost }),
    );
    await offer(attach(bridge));
    const answer = await engine.request({ kind: 'stop' }, 30);
    assert.deepEqual(
      answer,
      err({ code: 'timed-out', message: 'the SIP engine did not answer within 0.03 s' }),
    );
    assert.equal(engine.outstanding, 0);
  });

  it(`keeps at most ${ENGINE_MAX_OUTSTANDING} requests awaiting a host that never answers`, async () => {
    const { engine, bridge } = setup();
    const host = attach(bridge);
    await offer(host);
    const answers = Array.from({ length: 1_000 }, () => engine.request({ kind: 'stop' }));
    assert.equal(engine.outstanding, ENGINE_MAX_OUTSTANDING);
    assert.equal(host.calls().length, ENGINE_MAX_OUTSTANDING);
    const early = await Promise.all(answers.slice(ENGINE_MAX_OUTSTANDING));
    assert.ok(early.every((answer) => !answer.ok && answer.error.code === 'backend-unavailable'));
    engine.close();
    const rest = await Promise.all(answers.slice(0, ENGINE_MAX_OUTSTANDING));
    assert.ok(rest.every((answer) => !answer.ok && answer.error.code === 'backend-unavailable'));
    assert.equal(engine.outstanding, 0);
    assert.equal(engine.hasHost, false);
  });
});

describe('EngineHost: reports', () => {
  it('takes reports from the host only', async () => {
    const { engine, bridge, host, other } = await hostAndOther();
    const reports: EngineReport[] = [];
    engine.reports.on((report) => reports.push(report));
    const refused = await other.session.invoke('engineReport', REGISTERED);
    assert.deepEqual(refused, err({ code: 'refused', message: ENGINE_MESSAGES.notHost }));
    const silent = attach(bridge);
    assert.equal((await silent.session.invoke('engineReport', REGISTERED)).ok, false);
    assert.equal(reports.length, 0);
    assert.equal((await host.session.invoke('engineReport', REGISTERED)).ok, true);
    assert.deepEqual(reports, [REGISTERED]);
    const invalid = await host.session.invoke('engineReport', { kind: 'realm', realm: '' });
    assert.equal(invalid.ok ? '' : invalid.error.code, 'invalid-request');
    assert.equal(reports.length, 1);
  });
});
