import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { LISTEN_PORT_DEFAULTS } from '../../../shared/doors/listen-port.ts';
import {
  SETTINGS_VERSION,
  defaultSettings,
  type Settings,
} from '../../../shared/model/settings.ts';
import { SETTINGS_FILE, SettingsStore, ensureProfileDir } from './settings-store.ts';
import { dir, file, freshProfileEachTest, isPosix } from './store.test-support.ts';

freshProfileEachTest('callbridge-settings-', SETTINGS_FILE);

const valid: Settings = {
  version: 2,
  extension: { type: 'pbx-events' },
  lines: 8,
  defaultCountry: '',
  audio: { microphone: null, speaker: null, ringer: null },
  doors: {
    ...defaultSettings().doors,
    'listen-port': {
      port: 6060,
      allowFrom: ['192.168.1.20', 'fe80::1'],
      hostNames: ['desk-7.example.com'],
    },
  },
};
const listenPort = valid.doors['listen-port'];
const DEFAULTS = defaultSettings();

const corruptCopies = () => fs.readdirSync(dir).filter((name) => name.includes('.corrupt-'));

describe('SettingsStore', () => {
  test('a missing file means defaults and no problem', () => {
    const store = SettingsStore.open(dir);
    assert.deepEqual(store.get(), DEFAULTS);
    assert.equal(store.problem, null);
    assert.equal(store.migratedFrom, null);
    assert.equal(fs.existsSync(file), false, 'opening writes nothing');
  });

  test('changing what get() returned does not change the defaults', () => {
    const store = SettingsStore.open(dir);
    const section = store.get().doors['listen-port'];
    // The type says readonly; a careless caller could still cast it away.
    (section.allowFrom as string[]).push('10.0.0.1');
    section.port = 7070;
    store.get().lines = 9;
    assert.deepEqual(SettingsStore.open(dir).get(), DEFAULTS);
    assert.deepEqual(defaultSettings(), DEFAULTS);
    assert.deepEqual(LISTEN_PORT_DEFAULTS, { port: 5555, allowFrom: [], hostNames: [] });
  });

  test('save then reopen gives the saved settings', () => {
    const store = SettingsStore.open(dir);
    const saved = store.save(valid);
    assert.deepEqual(saved, { ok: true, value: valid });
    assert.deepEqual(store.get(), valid);
    const reopened = SettingsStore.open(dir);
    assert.deepEqual(reopened.get(), valid);
    assert.equal(reopened.problem, null);
    assert.equal(reopened.migratedFrom, null);
    assert.deepEqual(fs.readdirSync(dir), [SETTINGS_FILE], 'no temp files left behind');
  });

  test('save writes the version even when the input leaves it out', () => {
    const { version: _version, ...withoutVersion } = valid;
    assert.deepEqual(SettingsStore.open(dir).save(withoutVersion), { ok: true, value: valid });
    const onDisk: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.deepEqual(onDisk, valid);
    assert.equal((onDisk as { version: unknown }).version, SETTINGS_VERSION);
    const old = SettingsStore.open(dir).save({ ...valid, version: 1 });
    assert.ok(!old.ok);
    assert.deepEqual(
      old.error.map((e) => e.field),
      ['version'],
    );
  });

  test('invalid input: per-field errors, nothing changes in memory or on disk', () => {
    const store = SettingsStore.open(dir);
    assert.ok(store.save(valid).ok);
    const before = fs.readFileSync(file);
    const result = store.save({
      ...valid,
      lines: 65,
      doors: { 'listen-port': { ...listenPort, allowFrom: ['10.0.0.1', 'nope'] } },
    });
    assert.ok(!result.ok);
    assert.deepEqual(
      result.error.map((e) => e.field),
      ['lines', 'doors.listen-port.allowFrom.1'],
    );
    assert.match(result.error[0]?.message ?? '', /at most 64/);
    assert.deepEqual(store.get(), valid);
    assert.deepEqual(fs.readFileSync(file), before);
    assert.deepEqual(store.save('not an object').ok, false);
    assert.deepEqual(fs.readFileSync(file), before);
  });

  test('a file that is not JSON: defaults and a problem, untouched until saved, then kept aside', () => {
    const broken = '{"lines": 8,, oops';
    fs.writeFileSync(file, broken);
    const store = SettingsStore.open(dir);
    assert.deepEqual(store.get(), DEFAULTS);
    assert.match(
      store.problem ?? '',
      /^settings\.json is not valid JSON \(.+\); using defaults until you save$/,
    );
    assert.equal(fs.readFileSync(file, 'utf8'), broken);
    assert.deepEqual(corruptCopies(), []);

    assert.ok(store.save(valid).ok);
    assert.equal(store.problem, null);
    const kept = corruptCopies();
    assert.equal(kept.length, 1);
    assert.match(kept[0] ?? '', /^settings\.json\.corrupt-\d{4}-\d\d-\d\dT[\d-]+Z$/);
    assert.equal(fs.readFileSync(path.join(dir, kept[0] ?? ''), 'utf8'), broken);
    assert.deepEqual(SettingsStore.open(dir).get(), valid);

    assert.ok(store.save({ ...valid, lines: 2 }).ok);
    assert.equal(corruptCopies().length, 1, 'a healthy file is replaced, not kept aside');
  });

  test('a file that fails the schema names the field and is kept aside on save', () => {
    const original = JSON.stringify({ ...valid, lines: 99 });
    fs.writeFileSync(file, original);
    const store = SettingsStore.open(dir);
    assert.deepEqual(store.get(), DEFAULTS);
    assert.equal(
      store.problem,
      'settings.json: lines must be at most 64; using defaults until you save',
    );
    assert.ok(store.save(valid).ok);
    const kept = corruptCopies();
    assert.equal(kept.length, 1);
    assert.equal(fs.readFileSync(path.join(dir, kept[0] ?? ''), 'utf8'), original);
  });

  test('a version 1 file from the previous Callbridge opens with the same meaning, unrewritten', () => {
    // Exactly what the previous SettingsStore wrote (no version field).
    const v1 = `{
  "extensionType": "pbx-events",
  "lines": 8,
  "listenPort": 6060,
  "listenAllowFrom": [
    "192.168.1.20",
    "fe80::1"
  ],
  "listenHostNames": [
    "desk-7.example.com"
  ]
}
`;
    fs.writeFileSync(file, v1);
    const store = SettingsStore.open(dir);
    assert.equal(store.problem, null);
    assert.deepEqual(store.get(), valid);
    assert.equal(store.migratedFrom, 1);
    assert.equal(fs.readFileSync(file, 'utf8'), v1, 'opening does not rewrite it');
    assert.deepEqual(fs.readdirSync(dir), [SETTINGS_FILE]);

    assert.ok(store.save({ ...valid, lines: 2 }).ok);
    assert.equal(store.migratedFrom, null);
    assert.deepEqual(fs.readdirSync(dir), [SETTINGS_FILE], 'a valid older file is replaced');
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { ...valid, lines: 2 });
    const reopened = SettingsStore.open(dir);
    assert.equal(reopened.migratedFrom, null);
    assert.deepEqual(reopened.get(), { ...valid, lines: 2 });
  });

  test('an invalid version 1 file stays invalid, named by the fields the user wrote', () => {
    const v1 = {
      extensionType: 'pbx-events',
      lines: 4,
      listenPort: 80,
      listenAllowFrom: ['10.0.0.1', 'nope'],
      listenHostNames: [],
      colour: 'blue',
    };
    fs.writeFileSync(file, JSON.stringify(v1));
    const store = SettingsStore.open(dir);
    assert.deepEqual(store.get(), DEFAULTS);
    assert.equal(
      store.problem,
      'settings.json: listenPort must be 1024 or above (lower ports need administrator rights), ' +
        'listenAllowFrom.1 must be an IP address such as 192.168.1.20, ' +
        '(settings) Unrecognized key: "colour"; using defaults until you save',
    );
    const { listenHostNames: _names, colour: _colour, ...missing } = v1;
    fs.writeFileSync(file, JSON.stringify({ ...missing, extensionType: 'fax-machine' }));
    assert.match(
      SettingsStore.open(dir).problem ?? '',
      /^settings\.json: extensionType .*listenHostNames /,
    );
    fs.writeFileSync(file, JSON.stringify({ ...v1, colour: undefined, doors: {} }));
    assert.equal(
      SettingsStore.open(dir).problem,
      'settings.json has no "version", so it is read as version 1, which has no field "doors"; ' +
        'using defaults until you save',
    );
    assert.ok(store.save(valid).ok);
    assert.equal(corruptCopies().length, 1);
  });

  test('a file from a newer Callbridge is refused by name, kept as it is, and kept aside on save', () => {
    const newer = JSON.stringify({ version: 7, extension: { type: 'sip', user: 'a' }, lines: 3 });
    fs.writeFileSync(file, newer);
    const store = SettingsStore.open(dir);
    assert.deepEqual(store.get(), DEFAULTS);
    assert.equal(
      store.problem,
      `settings.json was written by a newer Callbridge (version 7; this one reads up to version ${SETTINGS_VERSION}); using defaults until you save`,
    );
    assert.equal(store.migratedFrom, null);
    assert.equal(fs.readFileSync(file, 'utf8'), newer);
    assert.deepEqual(fs.readdirSync(dir), [SETTINGS_FILE]);

    assert.ok(store.save(valid).ok);
    const kept = fs.readdirSync(dir).filter((name) => name !== SETTINGS_FILE);
    assert.equal(kept.length, 1);
    assert.match(kept[0] ?? '', /^settings\.json\.v7-\d{4}-\d\d-\d\dT[\d-]+Z$/);
    assert.equal(fs.readFileSync(path.join(dir, kept[0] ?? ''), 'utf8'), newer);
    assert.deepEqual(SettingsStore.open(dir).get(), valid);
  });

  test('a version that is not a whole number of 1 or more is refused by name', () => {
    const cases: [unknown, string][] = [
      ['2', '"2"'],
      [1.5, '1.5'],
      [-1, '-1'],
      [0, '0'],
      [null, 'null'],
      [[2], 'a list'],
    ];
    for (const [version, shown] of cases) {
      fs.writeFileSync(file, JSON.stringify({ ...valid, version }));
      assert.equal(
        SettingsStore.open(dir).problem,
        `settings.json has version ${shown}, which is not a whole number of 1 or more; using defaults until you save`,
      );
    }
    const store = SettingsStore.open(dir);
    assert.ok(store.save(valid).ok);
    assert.equal(corruptCopies().length, 1, 'kept aside as damaged');
  });

  test('a byte order mark at the start is accepted', () => {
    fs.writeFileSync(file, `\uFEFF${JSON.stringify(valid)}`);
    assert.deepEqual(SettingsStore.open(dir).get(), valid);
  });

  test('prototype-pollution keys are rejected anywhere, with a clear message', () => {
    const cases: [string, RegExp][] = [
      [
        `{"__proto__": {"polluted": true}, "lines": 4}`,
        /contains the key "__proto__", which is not allowed/,
      ],
      [
        `{"listenAllowFrom": [{"constructor": {"prototype": {"polluted": 1}}}]}`,
        /contains the key "constructor" in listenAllowFrom\.0, which is not allowed/,
      ],
      [`{"a": {"b": {"prototype": 1}}}`, /contains the key "prototype" in a\.b/],
      [
        `{"version": 2, "doors": {"listen-port": {"allowFrom": [{"__proto__": 1}]}}}`,
        /contains the key "__proto__" in doors\.listen-port\.allowFrom\.0/,
      ],
    ];
    for (const [text, message] of cases) {
      fs.writeFileSync(file, text);
      const store = SettingsStore.open(dir);
      assert.match(store.problem ?? '', message);
      assert.match(store.problem ?? '', /using defaults until you save$/);
      assert.deepEqual(store.get(), DEFAULTS);
      assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    }
    const store = SettingsStore.open(dir);
    const input: unknown = JSON.parse(
      `{"__proto__": {"lines": 1}, ${JSON.stringify(valid).slice(1)}`,
    );
    assert.equal(store.save(input).ok, false, 'save refuses unknown keys, __proto__ included');
  });

  test('a very deep or very large file does not crash open', () => {
    fs.writeFileSync(file, `${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    assert.match(SettingsStore.open(dir).problem ?? '', /settings\.json/);
    fs.writeFileSync(file, `{"lines": 4, "pad": "${'x'.repeat(1024 * 1024)}"}`);
    assert.match(SettingsStore.open(dir).problem ?? '', /larger than 1 MiB/);
  });

  test('a settings.json that cannot be read as a file is reported and kept aside', () => {
    fs.mkdirSync(file);
    const store = SettingsStore.open(dir);
    assert.match(store.problem ?? '', /settings\.json could not be read/);
    assert.ok(store.save(valid).ok);
    assert.equal(corruptCopies().length, 1);
    assert.deepEqual(SettingsStore.open(dir).get(), valid);
  });

  test('file is 0600 and a created profile folder 0700', { skip: !isPosix }, () => {
    const profile = path.join(dir, 'new', 'profile');
    const store = SettingsStore.open(profile);
    assert.ok(store.save(valid).ok);
    assert.equal(fs.statSync(profile).mode & 0o777, 0o700);
    assert.equal(fs.statSync(path.join(dir, 'new')).mode & 0o777, 0o700);
    assert.equal(fs.statSync(path.join(profile, SETTINGS_FILE)).mode & 0o777, 0o600);
    ensureProfileDir(profile); // existing folder: no error
  });

  test('a write error is reported as a (settings) error and changes nothing', () => {
    const blocker = path.join(dir, 'not-a-folder');
    fs.writeFileSync(blocker, 'x');
    const store = SettingsStore.open(path.join(blocker, 'profile'));
    const result = store.save(valid);
    assert.ok(!result.ok);
    assert.equal(result.error[0]?.field, '(settings)');
    assert.deepEqual(store.get(), DEFAULTS);
  });
});
