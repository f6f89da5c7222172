import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BridgeProbe } from './support/bridge-probe.ts';
import { newProfileDir, startCore, telephony } from './support/serve.ts';

/**
 * An ended call the listen port acknowledged survives the core being killed right after.
 *
 * What the SIGKILL proves: the core commits each ended call's row to history.sqlite (the
 * write reaches the OS, in the WAL) before the listen port answers 200, so no acknowledged
 * call is only in the process's memory. It does not prove that the fsync reached the disk:
 * a killed process leaves the OS page cache intact, so this passes with synchronous=OFF
 * too. Surviving a power cut rests on synchronous=FULL, which the store's unit test reads
 * back from its own connection (history-store.test.ts, the pragmas test).
 */
describe('call history durability', () => {
  const profile = newProfileDir();
  after(() => {
    profile.remove();
  });

  it('keeps every acknowledged call after SIGKILL', async () => {
    const core = await startCore(profile.dir);
    const numbers = Array.from(
      { length: 20 },
      (_, index) => `0201000${String(index).padStart(3, '0')}`,
    );
    for (const number of numbers) {
      assert.equal((await telephony(core, `l=2&n=${number}&a=i&i=Crash%20test`)).status, 200);
      assert.equal((await telephony(core, `l=2&n=${number}&a=t`)).status, 200);
    }
    await core.kill();

    const again = await startCore(profile.dir);
    const probe = await BridgeProbe.connect(again);
    const history = (await probe.snapshot()).history;
    probe.close();
    await again.stop();
    assert.deepEqual(
      history.map((record) => record.number),
      [...numbers].reverse(),
      'history is newest first and complete',
    );
    assert.ok(
      history.every((record) => record.outcome === 'missed' && record.callerId === 'Crash test'),
    );
  });

  it('records calls still on a line at SIGKILL as interrupted, once', async () => {
    const crashed = newProfileDir();
    try {
      const core = await startCore(crashed.dir);
      assert.equal((await telephony(core, 'l=1&n=0201555&a=i&i=Ringing')).status, 200);
      assert.equal((await telephony(core, 'l=3&n=0201666&a=i&i=Talking')).status, 200);
      assert.equal((await telephony(core, 'l=3&a=e')).status, 200);
      await core.kill();

      const again = await startCore(crashed.dir);
      assert.match(again.stderr(), /2 call\(s\) still on a line .* recorded as interrupted/);
      const probe = await BridgeProbe.connect(again);
      const snapshot = await probe.snapshot();
      probe.close();
      assert.ok(snapshot.table.lines.every((line) => line.call === null));
      const byNumber = new Map(snapshot.history.map((record) => [record.number, record]));
      assert.equal(snapshot.history.length, 2);
      const ringing = byNumber.get('0201555');
      const talking = byNumber.get('0201666');
      assert.deepEqual(
        [ringing?.line, ringing?.outcome, ringing?.callerId, ringing?.answeredAt],
        [1, 'interrupted', 'Ringing', null],
      );
      assert.deepEqual(
        [talking?.line, talking?.outcome, talking?.callerId],
        [3, 'interrupted', 'Talking'],
      );
      assert.equal(typeof talking?.answeredAt, 'number');
      await again.kill();

      const third = await startCore(crashed.dir);
      const probe3 = await BridgeProbe.connect(third);
      const history = (await probe3.snapshot()).history;
      probe3.close();
      await third.stop();
      assert.equal(history.length, 2, 'recovered calls are recorded once');
    } finally {
      crashed.remove();
    }
  });

  it('loses no acknowledged call when killed while requests are in flight, round after round', async () => {
    const rounds = newProfileDir();
    const acknowledged: string[] = [];
    try {
      // Round 8 only starts the core and checks what round 7 left.
      for (let round = 0; round <= 8; round++) {
        const core = await startCore(rounds.dir);
        const probe = await BridgeProbe.connect(core);
        const history = new Set((await probe.snapshot()).history.map((record) => record.number));
        probe.close();
        const lost = acknowledged.filter((number) => !history.has(number));
        assert.deepEqual(lost, [], `round ${round}: acknowledged calls missing after kill -9`);
        if (round === 8) {
          await core.stop();
          break;
        }
        // Calls until the kill lands, which it does part way through one of them.
        const killAt = Date.now() + 40 + ((round * 37) % 120);
        let serial = 0;
        const sending = (async () => {
          while (serial < 20) {
            const number = `02099${String(round)}${String(serial++).padStart(3, '0')}`;
            const rung = await telephony(core, `l=1&n=${number}&a=i`).catch(() => null);
            if (rung?.status !== 200) return;
            const ended = await telephony(core, 'l=1&a=t').catch(() => null);
            if (ended?.status !== 200) return;
            acknowledged.push(number);
            if (Date.now() >= killAt) return;
          }
        })();
        await Promise.race([
          sending,
          new Promise((resolve) => setTimeout(resolve, killAt - Date.now())),
        ]);
        await core.kill();
        await sending;
      }
      assert.ok(acknowledged.length > 8, `only ${acknowledged.length} calls were acknowledged`);
    } finally {
      rounds.remove();
    }
  });
});
