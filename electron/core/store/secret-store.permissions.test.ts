import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { PLAIN_CODEC, SECRETS_FILE, openFileSecretStore } from './secret-store.ts';
import { dir, file, freshProfileEachTest, isPosix, modeOf } from './store.test-support.ts';

freshProfileEachTest('callbridge-secrets-', SECRETS_FILE);

/** Whether the store trusts the file it finds: its mode, its owner, and what kind of file. */
describe('file SecretStore: a file it must not trust', () => {
  test(
    'a file other users may read is refused by name, with its mode and the fix, and left alone',
    { skip: !isPosix },
    async () => {
      const store = await openFileSecretStore(dir, PLAIN_CODEC);
      assert.ok((await store.set('sip.password', 'hunter2')).ok);
      fs.chmodSync(file, 0o644);
      const before = fs.readFileSync(file);

      const refused = await openFileSecretStore(dir, PLAIN_CODEC);
      assert.equal(
        refused.problem,
        `${file} has mode 0644, which lets other users read it, so its secrets are not used; fix it with: chmod 600 ${file}`,
      );
      assert.equal(refused.get('sip.password'), null);
      assert.equal(refused.has('sip.password'), false);
      const set = await refused.set('sip.password', 'other');
      assert.ok(!set.ok);
      assert.equal(set.error, `secrets are unavailable: ${refused.problem}`);
      assert.ok(!(await refused.delete('sip.password')).ok);
      assert.deepEqual(fs.readFileSync(file), before);
      assert.equal(modeOf(file), 0o644);

      fs.chmodSync(file, 0o620);
      assert.match((await openFileSecretStore(dir, PLAIN_CODEC)).problem ?? '', /has mode 0620/);
      fs.chmodSync(file, 0o600);
      assert.equal((await openFileSecretStore(dir, PLAIN_CODEC)).get('sip.password'), 'hunter2');
    },
  );

  test(
    'a file owned by another user is refused',
    { skip: !isPosix || process.getuid?.() !== 0 ? 'needs root to give a file away' : false },
    async () => {
      const store = await openFileSecretStore(dir, PLAIN_CODEC);
      assert.ok((await store.set('sip.password', 'hunter2')).ok);
      fs.chownSync(file, 4242, 4242);
      const refused = await openFileSecretStore(dir, PLAIN_CODEC);
      assert.match(
        refused.problem ?? '',
        /belongs to another user \(uid 4242; Callbridge runs as uid 0\), so its secrets are not trusted/,
      );
      assert.equal(refused.get('sip.password'), null);
      assert.ok(!(await refused.set('sip.password', 'x')).ok);
      assert.equal(fs.statSync(file).uid, 4242);
    },
  );

  test(
    'a link or a pipe in place of the file is refused without blocking',
    { skip: !isPosix },
    async () => {
      const elsewhere = path.join(dir, 'elsewhere.json');
      fs.writeFileSync(elsewhere, JSON.stringify({ version: 1, codec: 'plain', secrets: {} }), {
        mode: 0o600,
      });
      fs.symlinkSync(elsewhere, file);
      assert.match(
        (await openFileSecretStore(dir, PLAIN_CODEC)).problem ?? '',
        /is a symbolic link, which is not trusted/,
      );
      fs.rmSync(file);
      fs.mkdirSync(file, { mode: 0o700 });
      assert.match(
        (await openFileSecretStore(dir, PLAIN_CODEC)).problem ?? '',
        /is not a regular file/,
      );
      fs.rmSync(file, { recursive: true });
      // A named pipe with no writer: a blocking open would wait for ever.
      const mkfifo = spawn('mkfifo', ['-m', '600', file], { stdio: 'inherit' });
      const exit: unknown[] = await once(mkfifo, 'exit');
      assert.equal(exit[0], 0);
      assert.match(
        (await openFileSecretStore(dir, PLAIN_CODEC)).problem ?? '',
        /is not a regular file/,
      );
    },
  );
});
