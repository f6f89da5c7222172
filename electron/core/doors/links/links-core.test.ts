import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SettingsSchema } from '../../../../shared/model/settings.ts';
import { createCore } from '../../core.ts';
import { httpRequest, tempDir } from '../../core.test-support.ts';
import { PLAIN_CODEC } from '../../store/secret-store.ts';
import { localApiFile, readLocalApiFile } from './local-api-file.ts';
import { alpha39Account, HASH } from './links.test-support.ts';

/** The links door inside a real core: the settings path, the secret store, the bridge. */
describe('links door in the core', () => {
  it('reads a settings file without a links section with its defaults', () => {
    const v2 = { version: 2, extension: { type: 'pbx-events' }, lines: 2, doors: {} };
    assert.deepEqual(SettingsSchema.parse(v2).doors.links, { askBeforeDialing: false });
  });

  it('sets up the SIP account from a link only once a page answers Yes', async () => {
    const profileDir = path.join(tempDir('callbridge-links-core-'), 'profile');
    const core = await createCore({
      profileDir,
      portOverrides: { 'listen-port': 0 },
      secretCodec: PLAIN_CODEC,
    });
    try {
      const address = readLocalApiFile(profileDir);
      assert.ok(address.ok && address.value);
      const link = `voispeed:Ualpha39@tscomm.it,${HASH},3939,192.168.0.220:5063`;
      const asked = await httpRequest(
        address.value.port,
        '/open',
        {
          authorization: `Bearer ${address.value.token}`,
          'content-type': 'application/json',
        },
        { method: 'POST', body: JSON.stringify({ link }) },
      );
      assert.equal(asked.status, 202);
      const waiting = await core.bridge.invoke('snapshot', null);
      assert.ok(waiting.ok);
      const [prompt] = waiting.value.prompts;
      assert.equal(prompt?.question, 'Set up the SIP account alpha39@tscomm.it from a link?');
      assert.equal(waiting.value.settings.extension.type, 'pbx-events');

      const answered = await core.bridge.invoke('answerPrompt', { id: prompt.id, answer: 'yes' });
      assert.ok(answered.ok, JSON.stringify(answered));
      const again = await core.bridge.invoke('answerPrompt', { id: prompt.id, answer: 'yes' });
      assert.equal(again.ok, false);
      const done = await core.bridge.invoke('snapshot', null);
      assert.ok(done.ok);
      assert.deepEqual(done.value.prompts, []);
      assert.deepEqual(
        done.value.settings.extension,
        alpha39Account('wss://192.168.0.220:8089/ws'),
      );
      assert.deepEqual(done.value.secretsSet, ['sip.password']);
      // The hash is a secret: in the secret store, never in settings.json or the log.
      assert.doesNotMatch(fs.readFileSync(path.join(profileDir, 'settings.json'), 'utf8'), /8c7b/);
      assert.match(fs.readFileSync(path.join(profileDir, 'secrets.json'), 'utf8'), /8c7bde46/);
      assert.doesNotMatch(JSON.stringify(done.value.log), /8c7b/);
    } finally {
      await core.close();
    }
    assert.equal(fs.existsSync(localApiFile(profileDir)), false);
  });

  it('refuses a malformed answer to a question through the bridge schema', async () => {
    const core = await createCore({
      profileDir: path.join(tempDir('callbridge-links-core-'), 'profile'),
      portOverrides: { 'listen-port': 0 },
      secretCodec: PLAIN_CODEC,
    });
    try {
      for (const request of [
        { id: 'x', answer: 'maybe' },
        { id: '', answer: 'yes' },
        { id: 'x', answer: 'yes', then: 'dial 900' },
      ]) {
        const result = await core.bridge.invoke('answerPrompt', request);
        assert.equal(result.ok ? '' : result.error.code, 'invalid-request');
      }
    } finally {
      await core.close();
    }
  });
});
