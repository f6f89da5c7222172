import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ListenPortSettings } from '../../shared/doors/listen-port.ts';
import { defaultSettings, type Settings } from '../../shared/model/settings.ts';
import type { Core } from './core-api.ts';
import { createCore } from './core.ts';
import { PLAIN_CODEC } from './store/secret-store.ts';
import { freePort, occupiedPort, telephony, tempDir } from './core.test-support.ts';

const profile = () => tempDir('callbridge-core-');

/** The port the listen port bound, or null when it is not listening. */
function listenPortOf(core: Core): number | null {
  const status = core.doors()['listen-port'];
  return status.state === 'ready' ? (status.endpoint?.port ?? null) : null;
}

function listenAddressOf(core: Core): string | null {
  const status = core.doors()['listen-port'];
  return status.state === 'ready' ? (status.endpoint?.address ?? null) : null;
}

/** Default settings with some of the listen port's section changed. */
function withListenPort(listen: Partial<ListenPortSettings>, rest: Partial<Settings> = {}) {
  const base = defaultSettings();
  return {
    ...base,
    ...rest,
    doors: { 'listen-port': { ...base.doors['listen-port'], ...listen } },
  };
}

const FREE = { portOverrides: { 'listen-port': 0 }, secretCodec: PLAIN_CODEC } as const;

const ring = async (port: number, line = 1) =>
  (await telephony(port, `l=${line}&n=100&a=i`)).status;

describe('core settings', () => {
  it('refuses invalid settings field by field and changes nothing', async () => {
    const dir = profile();
    const core = await createCore({ profileDir: dir, ...FREE });
    const result = await core.bridge.invoke(
      'saveSettings',
      withListenPort({ port: 80 }, { lines: 0 }),
    );
    assert.equal(result.ok, false);
    const fields = (result.error.fields ?? []).map((field) => field.field).sort();
    assert.deepEqual(fields, ['doors.listen-port.port', 'lines']);
    assert.equal(existsSync(join(dir, 'settings.json')), false);
    await core.close();
  });

  it('refuses to drop a line that carries a call', async () => {
    const core = await createCore({ profileDir: profile(), ...FREE });
    const port = listenPortOf(core) ?? 0;
    assert.equal(await ring(port, 4), 200);
    const result = await core.bridge.invoke('saveSettings', withListenPort({}, { lines: 2 }));
    assert.equal(result.ok, false);
    assert.match(result.error.fields?.[0]?.message ?? '', /line 4 has a call in progress/);
    const snapshot = await core.bridge.invoke('snapshot', null);
    assert.equal(snapshot.ok && snapshot.value.table.lines.length, 4);
    await core.close();
  });

  it('keeps the old listen port serving when the new one is taken', async () => {
    const dir = profile();
    const core = await createCore({ profileDir: dir, ...FREE });
    const before = listenPortOf(core) ?? 0;
    const taken = await occupiedPort();
    const result = await core.bridge.invoke('saveSettings', withListenPort({ port: taken.port }));
    await taken.release();
    assert.equal(result.ok, false);
    assert.match(result.error.fields?.[0]?.message ?? '', /already in use/);
    assert.equal(listenPortOf(core), before);
    assert.equal(await ring(before), 200);
    assert.equal(existsSync(join(dir, 'settings.json')), false);
    await core.close();
  });

  it('moves the listen port and saves, so the next start uses the new port and lines', async () => {
    const dir = profile();
    const core = await createCore({ profileDir: dir, ...FREE });
    const old = listenPortOf(core) ?? 0;
    const free = await freePort();
    const result = await core.bridge.invoke(
      'saveSettings',
      withListenPort({ port: free }, { lines: 6 }),
    );
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(listenPortOf(core), free);
    assert.equal(await ring(free, 6), 200);
    await assert.rejects(telephony(old, 'l=1&a=i'));
    await core.close();

    const again = await createCore({ profileDir: dir, secretCodec: PLAIN_CODEC });
    assert.equal(listenPortOf(again), free);
    const snapshot = await again.bridge.invoke('snapshot', null);
    assert.equal(snapshot.ok && snapshot.value.table.lines.length, 6);
    await again.close();
  });

  it('treats the port bound by an override as no change when saving it', async () => {
    const core = await createCore({ profileDir: profile(), ...FREE });
    const bound = listenPortOf(core) ?? 0;
    const result = await core.bridge.invoke('saveSettings', withListenPort({ port: bound }));
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(listenPortOf(core), bound);
    assert.equal(await ring(bound), 200);
    await core.close();
  });

  it('opens the listen port to allowed PBX addresses and closes it again', async () => {
    const core = await createCore({ profileDir: profile(), ...FREE });
    const port = listenPortOf(core) ?? 0;
    const open = await core.bridge.invoke(
      'saveSettings',
      withListenPort({ port: port, allowFrom: ['192.168.1.20'] }),
    );
    assert.ok(open.ok, JSON.stringify(open));
    assert.equal(listenPortOf(core), port);
    assert.notEqual(listenAddressOf(core), '127.0.0.1');
    assert.equal(await ring(port), 200, 'loopback still gets in');
    const closed = await core.bridge.invoke('saveSettings', withListenPort({ port: port }));
    assert.ok(closed.ok, JSON.stringify(closed));
    assert.equal(listenAddressOf(core), '127.0.0.1');
    assert.equal(await ring(port, 2), 200);
    await core.close();
  });

  it('gives the new port back and keeps the old one when the settings file cannot be written', async () => {
    const dir = profile();
    const core = await createCore({ profileDir: dir, ...FREE });
    const old = listenPortOf(core) ?? 0;
    mkdirSync(join(dir, 'settings.json'));
    const free = await freePort();
    const result = await core.bridge.invoke('saveSettings', withListenPort({ port: free }));
    assert.equal(result.ok, false);
    assert.equal(listenPortOf(core), old);
    assert.equal(await ring(old), 200);
    await assert.rejects(telephony(free, 'l=1&a=i'));
    await core.close();
  });

  it('runs two saves one after the other, leaving exactly the last port bound', async () => {
    const core = await createCore({ profileDir: profile(), ...FREE });
    const first = await occupiedPort();
    const second = await occupiedPort();
    await first.release();
    await second.release();
    const [a, b] = await Promise.all([
      core.bridge.invoke('saveSettings', withListenPort({ port: first.port })),
      core.bridge.invoke('saveSettings', withListenPort({ port: second.port })),
    ]);
    assert.ok(a.ok && b.ok);
    assert.equal(listenPortOf(core), second.port);
    await assert.rejects(telephony(first.port, 'l=1&a=i'));
    await core.close();
  });

  it('starts on defaults with a warning when settings.json is corrupt, and leaves the file alone', async () => {
    const dir = profile();
    writeFileSync(join(dir, 'settings.json'), '{"lines": 4,');
    const core = await createCore({ profileDir: dir, ...FREE });
    assert.match(core.warnings.join('\n'), /settings\.json is not valid JSON/);
    assert.equal(readFileSync(join(dir, 'settings.json'), 'utf8'), '{"lines": 4,');
    await core.close();
  });

  it('opens a settings.json written before settings had versions, with the same meaning', async () => {
    const dir = profile();
    const free = await freePort();
    const v1 = {
      extensionType: 'pbx-events',
      lines: 6,
      listenPort: free,
      listenAllowFrom: [],
      listenHostNames: ['reception-pc'],
    };
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(v1));
    const core = await createCore({ profileDir: dir, secretCodec: PLAIN_CODEC });
    assert.deepEqual(core.warnings, []);
    assert.equal(listenPortOf(core), free);
    const snapshot = await core.bridge.invoke('snapshot', null);
    assert.ok(snapshot.ok);
    assert.equal(snapshot.value.table.lines.length, 6);
    assert.deepEqual(snapshot.value.settings.doors['listen-port'].hostNames, ['reception-pc']);
    assert.equal(snapshot.value.problem, null);
    assert.equal(await ring(free, 6), 200);
    await core.close();
  });

  it('warns when secrets.json can be read by other users, and starts without trusting it', async () => {
    const dir = profile();
    const file = join(dir, 'secrets.json');
    writeFileSync(file, '{"version":1,"codec":"plain","secrets":{"sip.password":"hunter2"}}', {
      mode: 0o644,
    });
    chmodSync(file, 0o644);
    const core = await createCore({ profileDir: dir, ...FREE });
    assert.match(core.warnings.join('\n'), /Secrets: .*secrets\.json.*chmod 600/);
    const snapshot = await core.bridge.invoke('snapshot', null);
    assert.doesNotMatch(JSON.stringify(snapshot), /hunter2/);
    assert.doesNotMatch(core.warnings.join('\n'), /hunter2/);
    await core.close();
  });

  it('answers an unknown channel and a malformed command with errors, not exceptions', async () => {
    const core = await createCore({ profileDir: profile(), ...FREE });
    const command = await core.bridge.invoke('command', { kind: 'Explode' });
    assert.equal(command.ok ? '' : command.error.code, 'invalid-request');
    const unknown = await core.bridge.invoke('nope' as 'snapshot', null);
    assert.equal(unknown.ok ? '' : unknown.error.code, 'unknown-channel');
    await core.close();
  });
});
