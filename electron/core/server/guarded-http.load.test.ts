import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { burst, serveInChild, underSlowloris } from './attack.test-support.ts';

/**
 * The guarded server under load, in a process of its own (guarded-http.fixture.ts) with
 * the default limits: 32 slots, 5 s to send headers, 1 s while busy.
 */
describe('guarded http under load', () => {
  it(
    'keeps answering a well-behaved client through a reconnecting slowloris',
    { timeout: 20_000 },
    async () => {
      const child = await serveInChild({ port: 0, allowFrom: [], hostNames: [] });
      try {
        // Twice the slots, each dribbling a header that never ends and coming back when cut.
        const { good, cuts } = await underSlowloris(child.port, {
          connections: 64,
          dribbleMs: 500,
          durationMs: 6_000,
          goodEveryMs: 200,
        });
        const served = good.filter((answer) => answer.status === 200);
        const summary = `${served.length} of ${good.length} served, ${cuts} attacker connections cut`;
        // A good request takes the slot of the attacker that has waited longest, so it
        // fails only if every slot changed hands within the last 100 ms (the grace period
        // for clients that have just connected). That is rare, not impossible, on 2 shared
        // cores: 90 % leaves room for it while the old port served none.
        assert.ok(served.length >= good.length * 0.9, summary);
        for (const answer of good) {
          assert.ok([200, 503].includes(answer.status), `${summary}; got ${answer.status}`);
          // Never held until a deadline: answered at once, with room for a loaded machine.
          assert.ok(answer.elapsedMs < 1_000, `answered after ${Math.round(answer.elapsedMs)} ms`);
        }
        assert.ok(cuts > 64, `the attackers were never cut (${summary})`);
      } finally {
        await child.stop();
      }
    },
  );

  it('answers each of 300 concurrent requests with a status that says why, never a bare close', async () => {
    const child = await serveInChild({ port: 0, allowFrom: [], hostNames: [] });
    try {
      const answers = await burst(child.port, 300);
      const counts = new Map<number, number>();
      for (const answer of answers) counts.set(answer.status, (counts.get(answer.status) ?? 0) + 1);
      const summary = JSON.stringify(Object.fromEntries(counts));
      // 200 served, 503 port full; a client the loaded machine kept from finishing its
      // headers within the busy deadline gets 408. Each refusal says why in its body.
      assert.ok(
        answers.every((answer) => [200, 503, 408].includes(answer.status)),
        `no bare closes: ${summary}`,
      );
      for (const answer of answers.filter((each) => each.status === 503)) {
        assert.match(answer.response, /\r\nretry-after: 1\r\n[^]*\r\n\r\nthe port is busy/i);
      }
      for (const answer of answers.filter((each) => each.status === 408)) {
        assert.match(answer.response, /\r\n\r\n.*not completed in time/i);
      }
      assert.ok((counts.get(200) ?? 0) >= 32, `every slot served: ${summary}`);
    } finally {
      await child.stop();
    }
  });
});
