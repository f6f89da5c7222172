import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BridgeResult } from '../../shared/bridge/contract.ts';
import type { EngineReport } from '../../shared/bridge/engine.ts';
import { REPORTS_IN_FLIGHT, reportQueue } from './report-queue.ts';

/**
 * The bridge as the core's local server answers it, one answer at a time as the test
 * releases them, refusing (as it does past `maxInFlight`) whatever arrives while `limit`
 * requests already await an answer.
 */
function answeringCore(limit: number) {
  const received: EngineReport[] = [];
  const awaiting: ((result: BridgeResult<null>) => void)[] = [];
  let mostAwaiting = 0;
  const send = (request: EngineReport): Promise<BridgeResult<null>> => {
    if (awaiting.length >= limit) {
      return Promise.resolve({ ok: false, error: { code: 'too-many-requests', message: 'full' } });
    }
    received.push(request);
    mostAwaiting = Math.max(mostAwaiting, awaiting.length + 1);
    return new Promise((resolve) => awaiting.push(resolve));
  };
  /** Answers the oldest request; resolves once the queue has reacted to it. */
  const answer = async (result: BridgeResult<null> = { ok: true, value: null }) => {
    awaiting.shift()?.(result);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { send, received, answer, mostAwaiting: () => mostAwaiting };
}

const log = (summary: string): EngineReport => ({
  kind: 'log',
  direction: 'in',
  summary,
  error: null,
});

describe('the engine’s reports to the core', () => {
  it('go in order, never more awaiting an answer than the window, so a burst is not refused', async () => {
    const core = answeringCore(REPORTS_IN_FLIGHT);
    const refusals: string[] = [];
    const report = reportQueue(core.send, (code) => refusals.push(code));
    const burst = Array.from({ length: 200 }, (_, index) => log(`INVITE ${index}`));
    for (const entry of burst) report(entry);
    assert.equal(core.received.length, REPORTS_IN_FLIGHT);
    for (let index = 0; index < burst.length; index += 1) await core.answer();
    assert.deepEqual(core.received, burst);
    assert.equal(core.mostAwaiting(), REPORTS_IN_FLIGHT);
    assert.deepEqual(refusals, []);
  });

  it('go on after one is refused, and say which code refused it', async () => {
    const core = answeringCore(1);
    const refusals: string[] = [];
    const report = reportQueue(core.send, (code) => refusals.push(code), 1);
    report(log('first'));
    report(log('second'));
    await core.answer({ ok: false, error: { code: 'refused', message: 'not the host' } });
    await core.answer();
    assert.deepEqual(
      core.received.map((entry) => (entry.kind === 'log' ? entry.summary : entry.kind)),
      ['first', 'second'],
    );
    assert.deepEqual(refusals, ['refused']);
  });
});
