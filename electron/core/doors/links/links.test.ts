import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, describe, it } from 'node:test';
import type { SettingsView } from '../../../../shared/bridge/contract.ts';
import { LINKS_DEFAULTS } from '../../../../shared/doors/links.ts';
import type { Command } from '../../../../shared/model/command.ts';
import type { LogEntry } from '../../../../shared/model/integration-log.ts';
import { defaultSettings } from '../../../../shared/model/settings.ts';
import { ok } from '../../../../shared/result.ts';
import {
  opensNothing,
  pbxEventsBackend,
  recordingBackend,
} from '../../backends/backend.test-support.ts';
import { httpRequest, type HttpAnswer } from '../../core.test-support.ts';
import { IntegrationLog } from '../../integration-log.ts';
import { PromptDesk } from '../../prompts.ts';
import { Switchboard } from '../../switchboard.ts';
import type { Door } from '../door.ts';
import { doorParts } from '../door.test-support.ts';
import { linksDoor } from './index.ts';
import { localApiFile, readLocalApiFile } from './local-api-file.ts';
import { alpha39Account, HASH } from './links.test-support.ts';

const AUTOCONFIGURATION = `voispeed: Ualpha39 @ tscomm.it, ${HASH},3939,192.168.0.220: 5063`;

const opened: Door<'links'>[] = [];
after(async () => {
  for (const door of opened) await door.close();
});

/** The links door over a real switchboard, prompt desk and local API socket. */
async function startDoor(backend: 'places-calls' | 'pbx-events' = 'places-calls') {
  const executed: Command[] = [];
  const board = new Switchboard({
    lines: 2,
    backend:
      backend === 'pbx-events'
        ? pbxEventsBackend
        : recordingBackend(executed, { placesCalls: true }).create,
    journal: () => ok(null),
  });
  const log = new IntegrationLog();
  const entries: LogEntry[] = [];
  log.added.on((entry) => entries.push(entry));
  const desk = new PromptDesk();
  const saves: unknown[] = [];
  const parts = doorParts({
    ask: (question) => desk.ask(question),
    settingsAccess: {
      current: defaultSettings,
      save: (input) => {
        saves.push(input);
        return Promise.resolve(ok({} as SettingsView));
      },
    },
  });
  const door = linksDoor.create();
  opened.push(door);
  await door.start({
    switchboard: board,
    log: log.forSource('links'),
    settings: LINKS_DEFAULTS,
    portOverride: undefined,
    openExternal: opensNothing,
    ...parts,
    statusChanged: () => undefined,
  });
  const address = readLocalApiFile(parts.profileDir);
  assert.ok(address.ok && address.value);
  const { port, token } = address.value;
  const post = (
    body: string,
    headers: Record<string, string> = {},
    path = '/open',
  ): Promise<HttpAnswer> =>
    httpRequest(
      port,
      path,
      { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      { method: 'POST', body },
    );
  const open = (link: string) => post(JSON.stringify({ link }));
  const answerFirst = async (answer: 'yes' | 'no') => {
    const [prompt] = desk.pending();
    assert.ok(prompt, 'a question is waiting');
    return desk.answer({ id: prompt.id, answer });
  };
  return {
    board,
    door,
    desk,
    entries,
    executed,
    saves,
    parts,
    port,
    token,
    post,
    open,
    answerFirst,
  };
}

const json = (answer: HttpAnswer): unknown => JSON.parse(answer.body);

describe('links door', () => {
  it('writes its port and token owner-only into the profile, and removes them on close', async () => {
    const { door, parts, port } = await startDoor();
    const file = localApiFile(parts.profileDir);
    if (process.platform !== 'win32') assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(door.status(), {
      state: 'ready',
      summary: `Local API on 127.0.0.1:${port}`,
      readyLine: `Local API: ${port}`,
      endpoint: { address: '127.0.0.1', port },
    });
    await door.close();
    assert.equal(fs.existsSync(file), false);
    assert.deepEqual(door.status(), { state: 'off', summary: 'Closed' });
  });

  it('dials a link at once, logs it, and keeps a voispeed ext_ID with the call', async () => {
    const { board, executed, entries, open } = await startDoor();
    const answer = await open('voispeed:0612345678,Order 1234');
    assert.equal(answer.status, 200);
    assert.deepEqual(json(answer), {
      outcome: 'done',
      message: 'dialled 0612345678 (ext_ID "Order 1234")',
    });
    assert.deepEqual(executed, [{ kind: 'MakeCall', number: '0612345678', tag: 'Order 1234' }]);
    assert.equal(board.table.lines[0]?.call?.tag, 'Order 1234');
    const entry = entries.find((e) => e.raw === 'voispeed:0612345678,Order 1234');
    assert.ok(entry);
    assert.equal(entry.source, 'links');
    assert.equal(entry.outcome, 'dialled 0612345678 (ext_ID "Order 1234")');
  });

  it('answers a malformed link with the parser’s message and dials nothing', async () => {
    const { executed, entries, open } = await startDoor();
    const answer = await open('tel:12a4');
    assert.equal(answer.status, 400);
    assert.deepEqual(json(answer), {
      error: {
        code: 'malformed-link',
        message:
          'tel: number "12a4" contains "a"; a number holds digits, + * # and the separators - . ( ) and space',
      },
    });
    assert.deepEqual(executed, []);
    assert.equal(entries.at(-1)?.outcome, 'nothing was done');
  });

  it('answers a link the backend cannot dial with its capability error', async () => {
    const { open } = await startDoor('pbx-events');
    const answer = await open('tel:187');
    assert.equal(answer.status, 409);
    assert.deepEqual(json(answer), {
      error: {
        code: 'not-capable',
        message: 'MakeCall is not available with the pbx-events extension type',
      },
    });
  });

  it('asks first when "Ask before dialing links" is on; Yes dials, No does not', async () => {
    const { door, desk, executed, open, answerFirst } = await startDoor();
    const prepared = await door.prepare({ askBeforeDialing: true }, LINKS_DEFAULTS);
    assert.ok(prepared.ok);
    await prepared.value.commit();
    const asked = await open('callto:+390612345678');
    assert.equal(asked.status, 202);
    assert.equal(desk.pending()[0]?.question, 'Call +390612345678?');
    assert.deepEqual(await answerFirst('no'), ok({ outcome: 'Nothing was changed.' }));
    assert.deepEqual(executed, []);
    await open('callto:+390612345678');
    assert.deepEqual(await answerFirst('yes'), ok({ outcome: 'dialled +390612345678' }));
    assert.deepEqual(executed, [{ kind: 'MakeCall', number: '+390612345678' }]);
  });

  it('ends a call only on Yes, and not one that has gone meanwhile', async () => {
    const { board, executed, open, answerFirst } = await startDoor();
    assert.equal((await open('voispeed:D')).status, 409);
    board.report({ kind: 'Established', line: 1, number: '100' });
    assert.equal((await open('voispeed:D')).status, 202);
    assert.deepEqual(executed, []);
    assert.deepEqual(
      await answerFirst('yes'),
      ok({ outcome: 'ended the call with 100 on line 1' }),
    );
    assert.deepEqual(executed, [{ kind: 'Drop', line: 1 }]);
    board.report({ kind: 'Established', line: 1, number: '101' });
    await open('voispeed:D');
    board.report({ kind: 'Terminated', line: 1 });
    board.report({ kind: 'Established', line: 1, number: '102' });
    const late = await answerFirst('yes');
    assert.equal(
      late.ok ? '' : late.error.message,
      'the call on line 1 has ended; nothing was done',
    );
    assert.equal(executed.length, 1);
  });

  it('forwards the connected call only on Yes', async () => {
    const { board, executed, open, answerFirst } = await startDoor();
    board.report({ kind: 'Established', line: 2, number: '100' });
    assert.equal((await open('voispeed:F 200')).status, 202);
    await answerFirst('yes');
    assert.deepEqual(executed, [{ kind: 'Transfer', line: 2, target: '200' }]);
  });

  it('sets up the account only on Yes, and never logs the password hash', async () => {
    const { saves, entries, open, answerFirst } = await startDoor();
    const asked = await open(AUTOCONFIGURATION);
    assert.equal(asked.status, 202);
    assert.equal(saves.length, 0);
    await answerFirst('no');
    assert.equal(saves.length, 0);
    await open(AUTOCONFIGURATION);
    assert.deepEqual(
      await answerFirst('yes'),
      ok({ outcome: 'the SIP account alpha39@tscomm.it was set up' }),
    );
    assert.equal(saves.length, 1);
    const [saved] = saves;
    assert.ok(typeof saved === 'object' && saved !== null && 'extension' in saved);
    assert.deepEqual(saved.extension, {
      ...alpha39Account('wss://192.168.0.220:8089/ws'),
      password: HASH,
    });
    // Nor from links that cannot be read, whichever field the hash ended up in.
    await open(`voispeed:Ualpha39@tscomm.it,3939,${HASH},192.168.0.220`);
    await open(`voispeed:Ualpha39@tscomm .it,${HASH},3939,192.168.0.220`);
    const logged = JSON.stringify(entries);
    assert.doesNotMatch(logged, /8c7bde46|26829/);
    assert.match(logged, /\[password hidden\]/);
  });

  it('refuses a question beyond the desk’s capacity', async () => {
    const { board, open } = await startDoor();
    board.report({ kind: 'Established', line: 1, number: '100' });
    const answers = [];
    for (let count = 0; count < 9; count++) answers.push(await open('voispeed:D'));
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [202, 202, 202, 202, 202, 202, 202, 202, 429],
    );
  });
});

describe('links door: the local API refuses', () => {
  it('a missing or wrong token, other paths and methods, and bodies it cannot read', async () => {
    const { executed, post, port } = await startDoor();
    const body = JSON.stringify({ link: 'tel:187' });
    const cases: [Promise<HttpAnswer>, number][] = [
      [post(body, { authorization: 'Bearer wrong' }), 401],
      [post(body, { authorization: '' }), 401],
      [post(body, {}, '/open?x=1'), 404],
      [post(body, {}, '/dial'), 404],
      [httpRequest(port, '/open', {}, { method: 'GET' }), 405],
      [post(body, { 'content-type': 'text/plain' }), 415],
      [post('tel:187'), 400],
      [post(JSON.stringify({ link: 'tel:187', number: '999' })), 400],
      [post(JSON.stringify({ link: 'x'.repeat(9000) })), 413],
    ];
    for (const [answer, status] of cases) assert.equal((await answer).status, status);
    assert.deepEqual(executed, []);
  });

  it('what a web page fires: a foreign Origin, Sec-Fetch-Site, a rebound Host name', async () => {
    const { executed, post } = await startDoor();
    const body = JSON.stringify({ link: 'tel:187' });
    const fired: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' },
      { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'no-cors' },
      { host: 'evil.example' },
    ];
    for (const headers of fired) {
      const answer = await post(body, headers);
      assert.equal(answer.status, 403, JSON.stringify(headers));
      assert.equal(answer.headers['access-control-allow-origin'], undefined);
    }
    assert.deepEqual(executed, []);
  });
});
