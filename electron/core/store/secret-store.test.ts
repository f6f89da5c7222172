import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  PLAIN_CODEC,
  SECRETS_FILE,
  openFileSecretStore,
  type SecretCodec,
} from './secret-store.ts';
import { dir, file, freshProfileEachTest, isPosix, modeOf } from './store.test-support.ts';

freshProfileEachTest('callbridge-secrets-', SECRETS_FILE);

/**
 * Stands in for Electron's safeStorage, which cannot run here: a codec that really
 * changes the text, so a test can see that the file does not hold the value itself.
 */
const BASE64_CODEC: SecretCodec = {
  kind: 'test-base64',
  encode: (plain) => Promise.resolve(Buffer.from(plain, 'utf8').toString('base64')),
  decode: (stored) => Promise.resolve(Buffer.from(stored, 'base64').toString('utf8')),
};

/** A codec of the same kind as PLAIN_CODEC whose calls fail, quoting what they were given. */
const FAILING_PLAIN: SecretCodec = {
  kind: PLAIN_CODEC.kind,
  encode: (plain) => Promise.reject(new Error(`cannot encode ${plain}`)),
  decode: (stored) => {
    // Synchronous throw, not a rejection: the store must catch both.
    throw new Error(`cannot decode ${stored}`);
  },
};

describe('file SecretStore', () => {
  test('a missing file is an empty store with no problem, and opening writes nothing', async () => {
    const store = await openFileSecretStore(dir, PLAIN_CODEC);
    assert.equal(store.problem, null);
    assert.equal(store.has('sip.password'), false);
    assert.equal(store.get('sip.password'), null);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  test('set, get and delete survive reopening; the file is 0600', async () => {
    const store = await openFileSecretStore(dir, BASE64_CODEC);
    assert.deepEqual(await store.set('sip.password', 'hunter2-très-secret'), {
      ok: true,
      value: null,
    });
    assert.deepEqual(await store.set('provider.x-api-key', 'k3y'), { ok: true, value: null });
    assert.equal(store.get('sip.password'), 'hunter2-très-secret');
    assert.equal(store.has('provider.x-api-key'), true);
    assert.doesNotMatch(fs.readFileSync(file, 'utf8'), /hunter2/, 'kept encoded');
    if (isPosix) assert.equal(modeOf(file), 0o600);

    const reopened = await openFileSecretStore(dir, BASE64_CODEC);
    assert.equal(reopened.problem, null);
    assert.equal(reopened.get('sip.password'), 'hunter2-très-secret');
    assert.equal(reopened.get('provider.x-api-key'), 'k3y');

    assert.deepEqual(await reopened.delete('sip.password'), { ok: true, value: null });
    assert.deepEqual(await reopened.delete('never.set'), { ok: true, value: null });
    assert.equal(reopened.has('sip.password'), false);
    const third = await openFileSecretStore(dir, BASE64_CODEC);
    assert.equal(third.get('sip.password'), null);
    assert.equal(third.get('provider.x-api-key'), 'k3y');
    assert.deepEqual(fs.readdirSync(dir), [SECRETS_FILE], 'no temp files left behind');
  });

  test('the plain codec keeps values in the clear, in a file of the documented form', async () => {
    const store = await openFileSecretStore(dir, PLAIN_CODEC);
    assert.ok((await store.set('b.two', '2')).ok);
    assert.ok((await store.set('a.one', '')).ok);
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), {
      version: 1,
      codec: 'plain',
      secrets: { 'a.one': '', 'b.two': '2' },
    });
    assert.equal((await openFileSecretStore(dir, PLAIN_CODEC)).get('a.one'), '');
  });

  test('a missing profile folder is created owner-only on the first set', async () => {
    const profile = path.join(dir, 'new', 'profile');
    const store = await openFileSecretStore(profile, PLAIN_CODEC);
    assert.equal(store.problem, null);
    assert.ok((await store.set('sip.password', 'x')).ok);
    if (isPosix) assert.equal(modeOf(profile), 0o700);
  });

  test('names are validated, and a refused name is not repeated back', async () => {
    const store = await openFileSecretStore(dir, PLAIN_CODEC);
    for (const name of [
      '',
      'Sip.password',
      '1sip',
      '.sip',
      'sip password',
      'sip_pw',
      '__proto__',
      '-x',
      `a${'b'.repeat(64)}`,
    ]) {
      const set = await store.set(name, 'v');
      assert.ok(!set.ok, name);
      assert.match(set.error, /^a secret name is 1 to 64 characters: a lowercase letter, then/);
      if (name.length > 1) assert.ok(!set.error.includes(name), name);
      assert.ok(!(await store.delete(name)).ok, name);
      assert.equal(store.get(name), null);
    }
    assert.ok((await store.set(`a${'b'.repeat(63)}`, 'v')).ok, '64 characters is allowed');
    assert.ok((await store.set('z', 'v')).ok);
    // Names that are words of JavaScript's object model are only names here.
    assert.ok((await store.set('constructor', 'c')).ok);
    assert.ok((await store.set('prototype', 'p')).ok);
    const reopened = await openFileSecretStore(dir, PLAIN_CODEC);
    assert.equal(reopened.get('constructor'), 'c');
    assert.equal(reopened.get('prototype'), 'p');
    assert.equal(reopened.get('toString'), null);
    assert.equal(reopened.has('hasOwnProperty'), false);
    assert.equal(fs.existsSync(file), true);
  });

  test('a file written with another codec is refused, naming both, and left alone', async () => {
    const electron = await openFileSecretStore(dir, BASE64_CODEC);
    assert.ok((await electron.set('sip.password', 'hunter2')).ok);
    const before = fs.readFileSync(file);
    const browser = await openFileSecretStore(dir, PLAIN_CODEC);
    assert.equal(
      browser.problem,
      'secrets.json was written with the "test-base64" codec but this Callbridge uses "plain"; its secrets are unavailable and the file is left as it is',
    );
    assert.equal(browser.get('sip.password'), null);
    assert.ok(!(await browser.set('sip.password', 'x')).ok);
    assert.deepEqual(fs.readFileSync(file), before);
  });

  test('damaged and foreign files give a problem, never a crash', async () => {
    const cases: [string, RegExp][] = [
      [
        '{"version": 1, "codec": "plain", "secrets": {"sip.password": "hunter2"',
        /^secrets\.json is not valid JSON; its secrets are unavailable/,
      ],
      ['[]', /is not in the form Callbridge writes/],
      [
        '{"version": 1, "codec": "plain", "secrets": {"Bad Name": "x"}}',
        /is not in the form Callbridge writes/,
      ],
      [
        '{"version": 1, "codec": "plain", "secrets": {"__proto__": "x"}}',
        /is not in the form Callbridge writes/,
      ],
      [
        '{"version": 1, "codec": "plain", "secrets": {"a": 5}}',
        /is not in the form Callbridge writes/,
      ],
      [
        '{"version": 1, "codec": "plain", "secrets": {}, "extra": 1}',
        /is not in the form Callbridge writes/,
      ],
      [
        '{"version": 2, "codec": "plain", "secrets": {}}',
        /was written by a newer Callbridge \(format 2\)/,
      ],
      [`{"pad": "${'x'.repeat(1024 * 1024)}"}`, /is larger than 1 MiB/],
    ];
    for (const [text, problem] of cases) {
      fs.writeFileSync(file, text, { mode: 0o600 });
      const store = await openFileSecretStore(dir, PLAIN_CODEC);
      assert.match(store.problem ?? '', problem, text.slice(0, 80));
      assert.ok(!(await store.set('a', 'b')).ok);
      assert.equal(fs.readFileSync(file, 'utf8'), text);
      assert.equal(({} as Record<string, unknown>)['x'], undefined);
    }
  });

  test('a codec that fails gives a problem or an error, not a crash', async () => {
    const store = await openFileSecretStore(dir, PLAIN_CODEC);
    assert.ok((await store.set('sip.password', 'hunter2')).ok);
    const failing = await openFileSecretStore(dir, FAILING_PLAIN);
    assert.equal(
      failing.problem,
      'secrets.json: the secret "sip.password" could not be decoded with plain (cannot decode [secret]); its secrets are unavailable and the file is left as it is',
    );
    const empty = path.join(dir, 'empty');
    const fresh = await openFileSecretStore(empty, FAILING_PLAIN);
    assert.equal(fresh.problem, null);
    assert.deepEqual(await fresh.set('sip.password', 'hunter2'), {
      ok: false,
      error: 'the secret "sip.password" could not be encoded with plain (cannot encode [secret])',
    });
    assert.equal(fresh.has('sip.password'), false);
    assert.equal(fs.existsSync(empty), false, 'nothing written');
  });

  test('a write error is reported and changes nothing', async () => {
    const profile = path.join(dir, 'profile');
    const store = await openFileSecretStore(profile, PLAIN_CODEC);
    assert.equal(store.problem, null);
    fs.writeFileSync(profile, 'a file where the folder should be');
    const set = await store.set('sip.password', 'hunter2');
    assert.ok(!set.ok);
    assert.match(set.error, /^could not write .*profile/);
    assert.equal(store.has('sip.password'), false);
    assert.equal(fs.readFileSync(profile, 'utf8'), 'a file where the folder should be');
    assert.match(
      (await openFileSecretStore(profile, PLAIN_CODEC)).problem ?? '',
      /^secrets\.json could not be read \(ENOTDIR/,
    );
  });

  test('a set that would make the file too large to read back is refused', async () => {
    const store = await openFileSecretStore(dir, PLAIN_CODEC);
    assert.ok((await store.set('small', 'x')).ok);
    const set = await store.set('huge', 'x'.repeat(1024 * 1024));
    assert.deepEqual(set, { ok: false, error: 'secrets.json would be larger than 1 MiB' });
    assert.equal(store.has('huge'), false);
    assert.equal((await openFileSecretStore(dir, PLAIN_CODEC)).get('small'), 'x');
  });

  test('concurrent set() and delete() calls apply in order and leave a valid file', async () => {
    const store = await openFileSecretStore(dir, BASE64_CODEC);
    const calls = Array.from({ length: 40 }, (_, i) =>
      i % 5 === 4 ? store.delete(`k${i - 1}`) : store.set(`k${i}`, `v${i}`),
    );
    const results = await Promise.all(calls);
    assert.ok(results.every((r) => r.ok));
    const expected = new Map<string, string>();
    for (let i = 0; i < 40; i++) {
      if (i % 5 === 4) expected.delete(`k${i - 1}`);
      else expected.set(`k${i}`, `v${i}`);
    }
    const reopened = await openFileSecretStore(dir, BASE64_CODEC);
    assert.equal(reopened.problem, null);
    for (let i = 0; i < 40; i++) assert.equal(reopened.get(`k${i}`), expected.get(`k${i}`) ?? null);
    assert.deepEqual(fs.readdirSync(dir), [SECRETS_FILE]);
  });

  test(
    'two processes writing at once never leave a half-written file',
    { skip: !isPosix },
    async () => {
      const moduleUrl = new URL('./secret-store.ts', import.meta.url).href;
      const writer = (tag: string) =>
        spawn(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            `const { openFileSecretStore, PLAIN_CODEC } = await import(${JSON.stringify(moduleUrl)});
           const store = await openFileSecretStore(${JSON.stringify(dir)}, PLAIN_CODEC);
           if (store.problem !== null) throw new Error(store.problem);
           for (let i = 0; i < 40; i++) {
             const r = await store.set('${tag}.' + i, '${tag}-' + i);
             if (!r.ok) throw new Error(r.error);
           }`,
          ],
          { stdio: ['ignore', 'inherit', 'inherit'] },
        );
      const children = [writer('a'), writer('b')];
      const exits = children.map((child) => once(child, 'exit'));
      let reads = 0;
      const writing = { running: true };
      void Promise.all(exits).then(() => {
        writing.running = false;
      });
      // Read while they write: every open must see a whole file.
      const deadline = Date.now() + 30_000;
      while (writing.running && reads < 1_000_000 && Date.now() < deadline) {
        const store = await openFileSecretStore(dir, PLAIN_CODEC);
        assert.equal(store.problem, null);
        reads++;
        // Opening resolves in microtasks only: let the children's exit events in.
        await new Promise((resolve) => setImmediate(resolve));
      }
      for (const [code] of (await Promise.all(exits)) as unknown[][]) assert.equal(code, 0);
      const final = await openFileSecretStore(dir, PLAIN_CODEC);
      assert.equal(final.problem, null);
      // One store per profile is the design; across two, the later write wins. Whatever is
      // there is something one of them wrote, under its own name.
      const secrets = JSON.parse(fs.readFileSync(file, 'utf8')) as {
        secrets: Record<string, string>;
      };
      for (const [name, value] of Object.entries(secrets.secrets)) {
        assert.equal(value, name.replace('.', '-'));
      }
      assert.equal(modeOf(file), 0o600);
      assert.deepEqual(fs.readdirSync(dir), [SECRETS_FILE]);
      assert.ok(reads > 0);
    },
  );

  test('property: a secret value never appears in a problem or an error', async () => {
    const secret = fc.string({ minLength: 8, maxLength: 64, unit: 'binary' });
    await fc.assert(
      fc.asyncProperty(secret, async (value) => {
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(dir, { mode: 0o700 });
        const messages: string[] = [];
        const note = (message: string | null) => {
          if (message !== null) messages.push(message);
        };
        const failed = (result: { ok: boolean; error?: string }) => note(result.error ?? null);

        const store = await openFileSecretStore(dir, PLAIN_CODEC);
        assert.ok((await store.set('sip.password', value)).ok);
        assert.equal((await openFileSecretStore(dir, PLAIN_CODEC)).get('sip.password'), value);
        failed(await store.set(value, value)); // a value passed as the name by mistake
        failed(await store.delete(value));
        note((await openFileSecretStore(dir, FAILING_PLAIN)).problem);
        note((await openFileSecretStore(dir, BASE64_CODEC)).problem);
        failed(
          await (await openFileSecretStore(path.join(dir, 'other'), FAILING_PLAIN)).set('a', value),
        );

        const text = fs.readFileSync(file, 'utf8');
        fs.writeFileSync(file, text.slice(0, text.indexOf('"sip.password"') + 30));
        note((await openFileSecretStore(dir, PLAIN_CODEC)).problem);
        fs.writeFileSync(
          file,
          JSON.stringify({ version: 1, codec: 'plain', secrets: { Bad: value } }),
        );
        note((await openFileSecretStore(dir, PLAIN_CODEC)).problem);
        if (isPosix) {
          fs.writeFileSync(file, text);
          fs.chmodSync(file, 0o644);
          const refused = await openFileSecretStore(dir, PLAIN_CODEC);
          note(refused.problem);
          failed(await refused.set('sip.password', value));
        }

        // set(value, value) is refused unless the value happens to be a valid name.
        assert.ok(messages.length >= 6);
        for (const message of messages) assert.ok(!message.includes(value), message);
      }),
      { numRuns: 60 },
    );
  });
});
