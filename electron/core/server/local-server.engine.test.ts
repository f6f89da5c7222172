import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WebSocket } from 'ws';
import type { EngineCall, EngineReport } from '../../../shared/bridge/engine.ts';
import { err } from '../../../shared/result.ts';
import { ENGINE_MAX_OUTSTANDING, ENGINE_MESSAGES } from '../engine-host.ts';
import {
  TEST,
  closed,
  eventsOn,
  invoke,
  open,
  usingRunning,
  type PageEvents,
  type Running,
} from './server.test-support.ts';

/**
 * Which page hosts the SIP engine, over the browser target's real WebSockets in front of
 * a real core: each socket is a page, and events meant for the host go down its socket only.
 */

interface Page {
  readonly client: WebSocket;
  readonly events: PageEvents;
}

async function page(running: Running): Promise<Page> {
  const client = await open(running);
  return { client, events: eventsOn(client) };
}

async function offer(page: Page): Promise<boolean> {
  const answer = await invoke(page.client, 'engineOffer', null);
  assert.ok(answer.ok, JSON.stringify(answer));
  return (answer.value as { hosting: boolean }).hosting;
}

const pageEvents = (page: Page) =>
  page.events.seen.filter(({ name }) => name === 'engine' || name === 'engineRole');

const REGISTERED: EngineReport = {
  kind: 'registration',
  registration: { state: 'registered', aor: 'sip:1001@127.0.0.1' },
};

describe('local server: the page that hosts the SIP engine', () => {
  const running = usingRunning();

  it(
    'answers backend-unavailable while no page hosts, and refuses callers that are not a page',
    TEST,
    async () => {
      const { engine, bridge } = running.core;
      assert.deepEqual(
        await engine.request({ kind: 'stop' }),
        err({ code: 'backend-unavailable', message: ENGINE_MESSAGES.noHost }),
      );
      const refused = err({ code: 'refused', message: ENGINE_MESSAGES.noPage });
      assert.deepEqual(await bridge.invoke('engineOffer', null), refused);
      assert.deepEqual(await bridge.invoke('engineReport', REGISTERED), refused);
      assert.deepEqual(
        await bridge.invoke('engineReply', { id: 1, result: { ok: true, value: null } }),
        refused,
      );
    },
  );

  it(
    'hosts on the first page to offer, carries requests, replies and reports, and hands over when it closes',
    TEST,
    async (t) => {
      const { engine } = running.core;
      const first = await page(running);
      const second = await page(running);
      const watcher = await page(running);
      assert.equal(await offer(first), true);
      assert.deepEqual(await first.events.next('engineRole'), { hosting: true });
      assert.equal(await offer(second), false);

      // A request goes to the host alone; a reply from another page does not settle it.
      const answered = engine.request({
        kind: 'command',
        command: { kind: 'SelectLine', line: 1 },
      });
      const call = (await first.events.next('engine')) as EngineCall;
      assert.deepEqual(call.request, { kind: 'command', command: { kind: 'SelectLine', line: 1 } });
      const ok = { id: call.id, result: { ok: true, value: null } };
      const stolen = await invoke(second.client, 'engineReply', ok);
      assert.deepEqual(stolen, err({ code: 'refused', message: ENGINE_MESSAGES.notHost }));
      assert.equal(engine.outstanding, 1);
      assert.deepEqual(await invoke(first.client, 'engineReply', ok), { ok: true, value: null });
      assert.deepEqual(await answered, { ok: true, value: null });

      // No reply: timed out, and nothing is left pending.
      const unanswered = await engine.request({ kind: 'stop' }, 50);
      assert.equal(unanswered.ok ? '' : unanswered.error.code, 'timed-out');
      await first.events.next('engine');
      assert.equal(engine.outstanding, 0);

      // Reports: the host's are delivered, another page's refused.
      const reports: EngineReport[] = [];
      const off = engine.reports.on((report) => reports.push(report));
      const refused = await invoke(second.client, 'engineReport', REGISTERED);
      assert.deepEqual(refused, err({ code: 'refused', message: ENGINE_MESSAGES.notHost }));
      assert.deepEqual(await invoke(first.client, 'engineReport', REGISTERED), {
        ok: true,
        value: null,
      });
      assert.deepEqual(reports, [REGISTERED]);
      off();

      // The host goes: what it was asked fails at once, and the next page in line takes over.
      const stranded = engine.request({ kind: 'stop' });
      await first.events.next('engine');
      const handedOver = performance.now();
      first.client.terminate();
      assert.deepEqual(await second.events.next('engineRole'), { hosting: true });
      const ms = performance.now() - handedOver;
      t.diagnostic(`the second page was hosting ${ms.toFixed(1)} ms after the first was cut`);
      assert.ok(ms < 1_000, `hand-over took ${ms} ms`);
      assert.deepEqual(
        await stranded,
        err({ code: 'backend-unavailable', message: ENGINE_MESSAGES.hostGone }),
      );
      assert.deepEqual(await invoke(second.client, 'engineReport', REGISTERED), {
        ok: true,
        value: null,
      });

      assert.deepEqual(pageEvents(watcher), [], 'a page that never offered gets no page events');
      assert.deepEqual(
        pageEvents(second).map(({ name }) => name),
        ['engineRole'],
        'a page that did not host got nothing meant for the host',
      );
      second.client.close();
      watcher.client.close();
      await closed(second.client);
      assert.equal(engine.hasHost, false);
    },
  );

  it(
    `keeps ${ENGINE_MAX_OUTSTANDING} of 1,000 requests pending on a host that never answers`,
    TEST,
    async () => {
      const { engine } = running.core;
      const host = await page(running);
      assert.equal(await offer(host), true);
      const rssBefore = process.memoryUsage().rss;
      const answers = Array.from({ length: 1_000 }, () => engine.request({ kind: 'stop' }));
      assert.equal(engine.outstanding, ENGINE_MAX_OUTSTANDING);
      const refused = await Promise.all(answers.slice(ENGINE_MAX_OUTSTANDING));
      assert.ok(
        refused.every((answer) => !answer.ok && answer.error.code === 'backend-unavailable'),
      );
      // What did go out reaches the page; everything beyond the bound was never sent.
      for (let count = 0; count < ENGINE_MAX_OUTSTANDING; count++) await host.events.next('engine');
      assert.equal(
        pageEvents(host).filter(({ name }) => name === 'engine').length,
        ENGINE_MAX_OUTSTANDING,
      );
      host.client.close();
      const stranded = await Promise.all(answers.slice(0, ENGINE_MAX_OUTSTANDING));
      assert.ok(
        stranded.every((answer) => !answer.ok && answer.error.message === ENGINE_MESSAGES.hostGone),
      );
      assert.equal(engine.outstanding, 0);
      const grown = process.memoryUsage().rss - rssBefore;
      assert.ok(grown < 64e6, `RSS grew ${Math.round(grown / 1e6)} MB`);
    },
  );
});
