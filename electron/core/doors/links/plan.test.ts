import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLineTable, type Call, type LineTable } from '../../../../shared/model/line-table.ts';
import { parseLink, type Link } from '../../../../shared/protocols/links/index.ts';
import { SipExtensionSchema } from '../../../../shared/model/settings.ts';
import { accountFromLink, sipExtensionFrom, type Autoconfigure } from './account.ts';
import { alpha39Account, HASH } from './links.test-support.ts';
import { describeLink, planLink, type LinkPlan } from './plan.ts';

function link(uri: string): Link {
  const parsed = parseLink(uri);
  if (!parsed.ok) assert.fail(parsed.error.message);
  return parsed.value;
}

const IDLE = createLineTable(3);

function withCalls(
  ...calls: [line: number, call: Partial<Call> & Pick<Call, 'phase'>][]
): LineTable {
  return {
    ...IDLE,
    lines: IDLE.lines.map((entry) => {
      const found = calls.find(([line]) => line === entry.line);
      if (!found) return entry;
      const [line, call] = found;
      const base = {
        id: `call-${line}`,
        direction: 'inbound' as const,
        number: `10${line}`,
        callerId: '',
        startedAt: 0,
        ref: null,
      };
      return { line, call: { ...base, answeredAt: 0, heldAt: 0, ...call } as Call };
    }),
  };
}

const plan = (uri: string, table = IDLE, askBeforeDialing = false): LinkPlan =>
  planLink(link(uri), { table, askBeforeDialing });

describe('links door: what a link does', () => {
  it('dials at once by default, with the number the parser read, from every scheme', () => {
    for (const [uri, number] of [
      ['tel:+1-212-555-0100', '+12125550100'],
      ['callto://+390612345678/', '+390612345678'],
      ['sip:100@pbx.example.com', '100'],
      ['voispeed: C 187', '187'],
      ['voispeed:187 ', '187'],
    ] as const) {
      const planned = plan(uri);
      assert.ok(planned.kind === 'act' && planned.action.kind === 'command', uri);
      assert.deepEqual(planned.action.command, { kind: 'MakeCall', number }, uri);
    }
  });

  it('puts the ext_ID on the MakeCall as its tag', () => {
    const planned = plan('voispeed:0612345678,Order 1234');
    assert.ok(planned.kind === 'act' && planned.action.kind === 'command');
    assert.deepEqual(planned.action.command, {
      kind: 'MakeCall',
      number: '0612345678',
      tag: 'Order 1234',
    });
    assert.equal(planned.action.done, 'dialled 0612345678 (ext_ID "Order 1234")');
  });

  it("completes a local tel: number with its phone-context's prefix, and names what it does not use", () => {
    const global = plan('tel:863-1234;phone-context=+1-914-555', IDLE, false);
    assert.ok(global.kind === 'act' && global.action.kind === 'command');
    assert.deepEqual(global.action.command, { kind: 'MakeCall', number: '+19145558631234' });
    const local = plan('tel:7042;phone-context=example.com;isub=1411', IDLE, false);
    assert.ok(local.kind === 'act' && local.action.kind === 'command');
    assert.deepEqual(local.action.command, { kind: 'MakeCall', number: '7042' });
    assert.equal(
      local.action.done,
      'dialled 7042 (a local number of example.com; subaddress 1411 not used)',
    );
  });

  it('asks first, naming the number, when "Ask before dialing links" is on', () => {
    const planned = plan('tel:+44 20 7946 0000;ext=22', IDLE, true);
    assert.ok(planned.kind === 'ask');
    assert.equal(planned.question, 'Call +442079460000?');
    assert.match(planned.detail, /extension 22 to key in once answered/);
    assert.match(planned.detail, /No changes nothing/);
  });

  it('always asks before ending a call: the first one, or the one its ID names', () => {
    const table = withCalls(
      [2, { phase: 'established', callerId: 'Datos' }],
      [3, { phase: 'ringing', ref: 'sip-77' }],
    );
    const first = plan('voispeed:D', table);
    assert.ok(first.kind === 'ask' && first.action.kind === 'command');
    assert.equal(first.question, 'End the call with 102 (Datos) on line 2?');
    assert.deepEqual(first.action.command, { kind: 'Drop', line: 2 });
    assert.deepEqual(first.action.call, { line: 2, id: 'call-2' });
    const named = plan('voispeed:D sip-77', table);
    assert.ok(named.kind === 'ask' && named.action.kind === 'command');
    assert.deepEqual(named.action.command, { kind: 'Drop', line: 3 });
    assert.match(named.detail, /call ID sip-77/);
    // Even with "Ask before dialing links" off.
    assert.equal(plan('voispeed:D call-3', table, false).kind, 'ask');
  });

  it('refuses D when no call fits, saying so', () => {
    assert.deepEqual(plan('voispeed:D'), {
      kind: 'refuse',
      error: { code: 'no-such-call', message: 'there is no call to end' },
    });
    assert.deepEqual(plan('voispeed:D 42', withCalls([1, { phase: 'ringing' }])), {
      kind: 'refuse',
      error: { code: 'no-such-call', message: 'no call with ID 42 is on a line' },
    });
  });

  it('always asks before forwarding the first connected call, and names where it goes', () => {
    const table = withCalls(
      [1, { phase: 'ringing' }],
      [2, { phase: 'held' }],
      [3, { phase: 'established' }],
    );
    const planned = plan('voispeed:F 200', table);
    assert.ok(planned.kind === 'ask' && planned.action.kind === 'command');
    assert.equal(planned.question, 'Transfer the call with 103 on line 3 to 200?');
    assert.deepEqual(planned.action.command, { kind: 'Transfer', line: 3, target: '200' });
    assert.deepEqual(plan('voispeed:F 200', withCalls([1, { phase: 'ringing' }])), {
      kind: 'refuse',
      error: { code: 'no-such-call', message: 'there is no connected call to forward' },
    });
  });

  it('always asks before setting up the account, and says what Yes does without the password', () => {
    const uri = `voispeed: Ualpha39 @ tscomm.it, ${HASH},3939,192.168.0.220: 5063`;
    const planned = plan(uri);
    assert.ok(planned.kind === 'ask' && planned.action.kind === 'set-up-account');
    assert.equal(planned.question, 'Set up the SIP account alpha39@tscomm.it from a link?');
    assert.match(planned.detail, /server wss:\/\/192\.168\.0\.220:8089\/ws/);
    assert.match(planned.detail, /the link names 192\.168\.0\.220:5063/);
    assert.match(planned.detail, /internal number 3939/);
    assert.ok(!planned.detail.includes(HASH));
    assert.ok(!describeLink(link(uri)).includes(HASH));
  });
});

describe('links door: the account an autoconfiguration link sets up', () => {
  const autoconfigure = (uri: string): Autoconfigure => {
    const read = link(uri);
    assert.ok(read.kind === 'autoconfigure');
    return read;
  };

  it('reads a SIP host:port as the PBX host on the WebSocket port, a ws(s) URL as written', () => {
    const cases = [
      [`voispeed:Ua@b.it,${HASH},1,192.168.0.220:5063`, 'wss://192.168.0.220:8089/ws'],
      [`voispeed:Ua@b.it,${HASH},1,pbx.b.it`, 'wss://pbx.b.it:8089/ws'],
      [`voispeed:Ua@b.it,${HASH},1,[fe80::1]:5060`, 'wss://[fe80::1]:8089/ws'],
      [`voispeed:Ua@b.it,${HASH},1,wss://pbx.b.it:7443/ws,pbx2.b.it`, 'wss://pbx.b.it:7443/ws'],
    ] as const;
    for (const [uri, url] of cases) {
      const account = accountFromLink(autoconfigure(uri));
      assert.ok(account.ok, uri);
      assert.equal(account.value.server.url, url, uri);
    }
  });

  it('fills in a SIP account the settings schema takes, the hash as its password', () => {
    const account = accountFromLink(
      autoconfigure(`voispeed:Ualpha39@tscomm.it,${HASH},3939,192.168.0.220:5063`),
    );
    assert.ok(account.ok);
    const { password, ...extension } = sipExtensionFrom(account.value);
    assert.equal(password, HASH);
    assert.deepEqual(
      SipExtensionSchema.parse(extension),
      alpha39Account('wss://192.168.0.220:8089/ws'),
    );
  });
});
