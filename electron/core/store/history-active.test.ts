import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type HistoryRecord } from '../../../shared/model/line-table.ts';
import { activeCallScenario } from './history-active-crash.fixture.ts';
import {
  freshHistoryProfileEachTest,
  record,
  openStore,
  openRecovered,
  ringing,
  interrupted,
  nextRun,
  rawDatabase,
  killWhen,
} from './history.test-support.ts';
import { dir } from './store.test-support.ts';

freshHistoryProfileEachTest();

describe('HistoryStore: calls on a line', () => {
  test('calls left on a line come back as interrupted, ended at their last sign of life', () => {
    const store = openRecovered();
    const a = ringing('a', 1000);
    const b = { ...ringing('b', 2000), direction: 'outbound' as const, phase: 'dialing' as const };
    const c = { ...ringing('c', 3000), phase: 'established' as const, answeredAt: 3500 };
    const held = { ...c, phase: 'held' as const, heldAt: 3900 };
    store.putActive(1, a, 1100);
    store.putActive(2, b, 2100);
    store.putActive(3, c, 3500);
    store.putActive(3, held, 3900);
    store.close();

    const again = openStore();
    const recovered = again.recoverInterrupted(10_000);
    const expected = [interrupted(3, held, 3900), interrupted(2, b, 2100), interrupted(1, a, 1100)];
    assert.deepEqual(recovered, expected);
    assert.equal(recovered[0]?.answeredAt, 3500, 'an answered call keeps its answer time');
    assert.deepEqual(again.recent(10), expected);
    // The lines are free again, and a second recovery in this run leaves its live calls be.
    const live = ringing('live', 15_000);
    again.putActive(1, live, 15_000);
    assert.deepEqual(again.recoverInterrupted(20_000), [], 'only once per open');
    assert.deepEqual(again.recent(10), expected);
    again.close();

    const third = openStore();
    assert.deepEqual(third.recoverInterrupted(30_000), [interrupted(1, live, 15_000)]);
    assert.deepEqual(third.recent(10), [interrupted(1, live, 15_000), ...expected]);
    third.close();
  });

  test('seen_at never moves back; markAlive moves it on; the end stays within start..now', () => {
    const store = openRecovered();
    const early = ringing('early', 5000);
    store.putActive(1, early, 7000);
    const late = ringing('late', 1000);
    store.putActive(2, late, 1500);
    store.markAlive(8000);
    store.putActive(1, early, 7500);
    // Clock trouble: seen in the future of `now`, and seen before the call started.
    store.putActive(3, ringing('future', 1000), 99_000);
    store.putActive(4, ringing('before-start', 9000), 10);
    const { recovered, history } = nextRun(store, 20_000);
    assert.deepEqual(Object.fromEntries(recovered.map((r) => [r.id, r.endedAt])), {
      early: 8000,
      late: 8000,
      future: 20_000,
      'before-start': 9000,
    });
    // Newest end first, ties latest added first: the same order the history reads back in.
    const order = ['future', 'before-start', 'late', 'early'];
    assert.deepEqual(
      recovered.map((r) => r.id),
      order,
    );
    assert.deepEqual(
      history.map((r) => r.id),
      order,
    );
  });

  test('putActive and markAlive refuse to run before recoverInterrupted', () => {
    const store = openStore();
    assert.throws(() => store.putActive(1, ringing('x', 1)), /recoverInterrupted\(\) must run/);
    assert.throws(() => store.markAlive(1), /recoverInterrupted\(\) must run/);
    store.recoverInterrupted(2);
    store.putActive(1, ringing('x', 1), 2);
    store.close();
  });

  test('endCall records the call and takes it off its line in one step', () => {
    const store = openRecovered();
    const call = ringing('e', 1000);
    store.putActive(1, call, 1000);
    const ended = record('e', 2000, { line: 1, answeredAt: null, outcome: 'missed' });
    store.endCall(ended);
    store.putActive(1, ringing('next', 3000), 3000);
    store.removeActive('next');
    store.removeActive('never-there');
    assert.deepEqual(nextRun(store, 5000), { recovered: [], history: [ended] });
  });

  test('a second call on a line whose call never ended is refused; atomically undoes it all', () => {
    const store = openRecovered();
    const first = ringing('first', 1000);
    store.putActive(1, first, 1000);
    assert.throws(() => store.putActive(1, ringing('second', 2000), 2000), /UNIQUE/);
    const ended = record('other', 1500, { line: 2 });
    assert.throws(
      () =>
        store.atomically(() => {
          store.endCall(ended);
          store.putActive(1, ringing('second', 2000), 2000);
        }),
      /UNIQUE/,
    );
    // A call ending and the next starting on its line, together.
    store.atomically(() => {
      store.endCall(record('first', 2000, { line: 1 }));
      store.putActive(1, ringing('third', 2000), 2000);
    });
    const { recovered, history } = nextRun(store, 9000);
    assert.deepEqual(
      recovered.map((r) => r.id),
      ['third'],
    );
    assert.deepEqual(
      history.map((r) => [r.id, r.outcome]),
      [
        ['third', 'interrupted'],
        ['first', 'answered'],
      ],
      'the refused transition left nothing behind',
    );
  });

  test('a call added to the history but left on its line is not recorded twice', () => {
    const store = openRecovered();
    store.putActive(1, ringing('dup', 1000), 1000);
    const ended = record('dup', 2000, { line: 1 });
    store.add(ended);
    assert.deepEqual(nextRun(store, 9000), { recovered: [], history: [ended] });
  });

  test('a damaged active row is reported and dropped; the others are recovered', () => {
    const store = openRecovered();
    store.putActive(1, ringing('good', 1000), 1000);
    store.putActive(2, ringing('bad', 1000), 1000);
    // Behind the store's back, on a second connection, as damage would.
    const db = rawDatabase();
    db.exec("UPDATE active_call SET started_at = 9007199254740993 WHERE id = 'bad'");
    db.close();
    const problems: string[] = [];
    const { recovered, history } = nextRun(store, 5000, (message) => problems.push(message));
    assert.deepEqual(
      recovered.map((r) => r.id),
      ['good'],
    );
    assert.deepEqual(history, recovered);
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /started_at is not a whole number \(id bad\)/);
  });

  test(
    'crash: the calls on a line at SIGKILL are recovered as interrupted, exactly once',
    { timeout: 30_000 },
    async () => {
      const base = 1_700_000_000_000;
      const scenario = activeCallScenario(base);
      let acked = -1;
      await killWhen('history-active-crash.fixture.ts', [dir, String(base)], (line) => {
        const match = /^ack (\d+)$/.exec(line);
        if (match) acked = Number(match[1]);
        return line === 'ready';
      });
      assert.equal(acked, scenario.length - 1, 'every transition was acknowledged');

      // What the killed process had acknowledged: each call's last state on its line.
      const onLine = new Map<string, HistoryRecord>();
      const endedNormally: HistoryRecord[] = [];
      for (const transition of scenario) {
        for (const ended of transition.ended) {
          onLine.delete(ended.id);
          endedNormally.push(ended);
        }
        const { put } = transition;
        if (put) onLine.set(put.call.id, interrupted(put.line, put.call, put.seenAt));
      }
      const expected = [...onLine.values()].sort((x, y) => y.endedAt - x.endedAt);
      assert.deepEqual(
        expected.map((r) => r.id),
        ['G', 'D', 'C', 'B', 'A'],
      );

      const store = openStore();
      assert.deepEqual(store.recoverInterrupted(Date.now()), expected);
      store.close();
      const again = openStore();
      assert.deepEqual(again.recoverInterrupted(Date.now()), [], 'recovered once only');
      const history = again.recent(100);
      again.close();
      const byEnd = [...expected, ...endedNormally].sort((x, y) => y.endedAt - x.endedAt);
      assert.deepEqual(
        history.map((r) => [r.id, r.outcome]),
        byEnd.map((r) => [r.id, r.outcome]),
      );
      assert.deepEqual(
        history.filter((r) => r.outcome === 'interrupted'),
        expected,
      );
    },
  );
});
