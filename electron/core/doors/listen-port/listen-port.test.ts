import { opensNothing } from '../../backends/backend.test-support.ts';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LogEntry } from '../../../../shared/model/integration-log.ts';
import { LISTEN_PORT_DEFAULTS } from '../../../../shared/doors/listen-port.ts';
import { ok } from '../../../../shared/result.ts';
import { pbxEventsBackend, recordingBackend } from '../../backends/backend.test-support.ts';
import { IntegrationLog } from '../../integration-log.ts';
import { telephony } from '../../core.test-support.ts';
import { Switchboard } from '../../switchboard.ts';
import type { Door } from '../door.ts';
import { doorParts } from '../door.test-support.ts';
import { listenPortDoor } from './index.ts';

const opened: Door<'listen-port'>[] = [];
after(async () => {
  for (const door of opened) await door.close();
});

/** The listen port door on a free port, over a real switchboard and a real HTTP socket. */
async function startDoor(backend: 'pbx-events' | 'own-signalling') {
  const board = new Switchboard({
    lines: 2,
    backend: backend === 'pbx-events' ? pbxEventsBackend : recordingBackend([]).create,
    journal: () => ok(null),
  });
  const log = new IntegrationLog();
  const entries: LogEntry[] = [];
  log.added.on((entry) => entries.push(entry));
  let statusChanges = 0;
  const door = listenPortDoor.create();
  opened.push(door);
  await door.start({
    switchboard: board,
    log: log.forSource('listen-port'),
    settings: LISTEN_PORT_DEFAULTS,
    portOverride: 0,
    openExternal: opensNothing,
    ...doorParts(),
    statusChanged: () => {
      statusChanges += 1;
    },
  });
  const status = door.status();
  assert.ok(status.state === 'ready' && status.endpoint);
  const { port } = status.endpoint;
  const get = (query: string, headers: Record<string, string> = {}) =>
    telephony(port, query, headers);
  return { board, door, entries, port, get, statusChanges: () => statusChanges };
}

describe('listen port door', () => {
  it('reports its port, its ready line and its status changes', async () => {
    const { door, port, statusChanges } = await startDoor('pbx-events');
    assert.deepEqual(door.status(), {
      state: 'ready',
      summary: `Listening on 127.0.0.1:${port}`,
      readyLine: `Listen port: ${port}`,
      endpoint: { address: '127.0.0.1', port },
    });
    assert.ok(statusChanges() >= 1);
  });

  it('logs each request under its own name, as a request coming in', async () => {
    const { get, entries, board } = await startDoor('pbx-events');
    assert.equal((await get('l=1&n=100&a=i')).status, 200);
    assert.equal(board.table.lines[0]?.call?.phase, 'ringing');
    assert.equal(entries.length, 1);
    assert.deepEqual(
      [entries[0]?.source, entries[0]?.direction, entries[0]?.session],
      ['listen-port', 'in', null],
    );
  });

  it('refuses pushed call state when the backend has signalling of its own, and changes nothing', async () => {
    const { get, board, entries } = await startDoor('own-signalling');
    const reply = await get('l=1&n=100&a=i');
    assert.equal(reply.status, 409);
    assert.match(reply.body, /gets call state from its own signalling/);
    assert.equal(board.table.lines[0]?.call, null);
    assert.match(entries[0]?.error ?? '', /own signalling/);
  });

  it('admits one clicked top-level navigation from a web page, never a frame or a second one at once', async () => {
    const { get, board } = await startDoor('pbx-events');
    const clicked = {
      'sec-fetch-site': 'cross-site',
      'sec-fetch-mode': 'navigate',
      'sec-fetch-user': '?1',
    };
    const framed = await get('l=1&n=100&a=i', { ...clicked, 'sec-fetch-dest': 'iframe' });
    assert.equal(framed.status, 403);
    const first = await get('l=1&n=100&a=i', { ...clicked, 'sec-fetch-dest': 'document' });
    assert.equal(first.status, 200);
    const second = await get('l=2&n=200&a=i', { ...clicked, 'sec-fetch-dest': 'document' });
    assert.equal(second.status, 429);
    assert.equal(board.table.lines[1]?.call, null);
  });

  it('answers a line that does not exist with 400', async () => {
    const { get } = await startDoor('pbx-events');
    const reply = await get('l=3&n=100&a=i');
    assert.equal(reply.status, 400);
    assert.match(reply.body, /line 3/);
  });

  it('refuses a settings change to a port it cannot bind, naming the field, and keeps serving', async () => {
    const first = await startDoor('pbx-events');
    const second = await startDoor('pbx-events');
    const prepared = await second.door.prepare(
      { ...LISTEN_PORT_DEFAULTS, port: first.port },
      LISTEN_PORT_DEFAULTS,
    );
    assert.ok(!prepared.ok);
    const [refusal] = prepared.error;
    assert.ok(refusal);
    assert.equal(refusal.field, 'port');
    assert.match(refusal.message, /already in use/);
    assert.equal((await second.get('l=1&a=i&n=1')).status, 200);
  });
});
