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
});
