import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BridgeProbe } from './support/bridge-probe.ts';
import { newProfileDir, startCore, telephony } from './support/serve.ts';

/** An ended call the listen port acknowledged survives the core being killed right after. */
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
