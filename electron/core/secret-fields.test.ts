import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SIP_PASSWORD_SECRET } from '../../shared/model/settings.ts';
import { tempDir } from './core.test-support.ts';
import { changedSecrets, keepSecrets, takeSecretFields } from './secret-fields.ts';
import { openFileSecretStore, PLAIN_CODEC } from './store/secret-store.ts';

const sip = (extra: Record<string, unknown>) => ({
  lines: 4,
  extension: { type: 'sip', server: 'pbx.example.com', username: '1001', ...extra },
});

describe('secret fields of a save request', () => {
  it("takes the extension type's write-only fields out of the settings", () => {
    const taken = takeSecretFields(sip({ password: 'hunter2' }));
    assert.ok(taken.ok);
    assert.deepEqual(taken.value.typed, [
      { field: 'password', secret: SIP_PASSWORD_SECRET, value: 'hunter2' },
    ]);
    assert.doesNotMatch(JSON.stringify(taken.value.settings), /hunter2|password/);
  });

  it('keeps the saved secret for an empty field, and leaves other types alone', () => {
    const empty = takeSecretFields(sip({ password: '' }));
    assert.ok(empty.ok);
    assert.deepEqual(empty.value.typed, []);
    // PBX-pushed events has no secret: a password there stays for the schema to refuse.
    const other = { extension: { type: 'pbx-events', password: 'x' } };
    const untouched = takeSecretFields(other);
    assert.ok(untouched.ok);
    assert.deepEqual(untouched.value.settings, other);
  });

  it('refuses a value that cannot be kept, naming its field, and never echoes it', () => {
    for (const password of ['a\u0000b', 'x'.repeat(257), 42]) {
      const taken = takeSecretFields(sip({ password }));
      assert.ok(!taken.ok);
      assert.equal(taken.error[0]?.field, 'extension.password');
      assert.doesNotMatch(JSON.stringify(taken.error), /xxxx|a\\u0000b/);
    }
  });

  it('never throws on any input (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (input) => {
        takeSecretFields(input);
        takeSecretFields({ extension: { type: 'sip', password: input } });
      }),
    );
  });

  it('keeps changed secrets, and the undo puts the old ones back', async () => {
    const store = await openFileSecretStore(tempDir('callbridge-secret-fields-'), PLAIN_CODEC);
    assert.ok((await store.set(SIP_PASSWORD_SECRET, 'old')).ok);
    const taken = takeSecretFields(sip({ password: 'new' }));
    assert.ok(taken.ok);
    const changed = changedSecrets(taken.value.typed, store);
    assert.equal(changed.length, 1);
    const kept = await keepSecrets(changed, store);
    assert.ok(kept.ok);
    assert.equal(store.get(SIP_PASSWORD_SECRET), 'new');
    assert.deepEqual(changedSecrets(taken.value.typed, store), [], 'the same again is no change');
    await kept.value();
    assert.equal(store.get(SIP_PASSWORD_SECRET), 'old');
  });
});
