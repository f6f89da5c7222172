import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import { defaultDoorSettings } from '../../../shared/doors/registry.ts';
import { MAX_LINES } from '../../../shared/model/line-table.ts';
import {
  HostNameSchema,
  IpAddressSchema,
  PortSchema,
  wholeNumber,
} from '../../../shared/model/settings-fields.ts';
import { SETTINGS_VERSION, SettingsSchema, type Settings } from '../../../shared/model/settings.ts';
import {
  MIGRATIONS,
  fieldAsWritten,
  migrateSettings,
  settingsVersion,
} from './settings-migrations.ts';

/** Version 1's schema, as the previous Callbridge had it: the meaning a v1 file must keep. */
const V1SettingsSchema = z
  .object({
    extensionType: z.enum(['pbx-events']),
    lines: wholeNumber(1, MAX_LINES, 'must be at least 1', `must be at most ${MAX_LINES}`),
    listenPort: PortSchema,
    listenAllowFrom: z.array(IpAddressSchema).max(32),
    listenHostNames: z.array(HostNameSchema).max(32),
  })
  .strict();
type V1Settings = z.infer<typeof V1SettingsSchema>;

/** What a v1 file meant, said in version 2's words. */
const meaningOf = (v1: V1Settings): Settings => ({
  version: 2,
  extension: { type: v1.extensionType },
  lines: v1.lines,
  defaultCountry: '',
  audio: { microphone: null, speaker: null, ringer: null },
  // Doors added after version 1 take their defaults.
  doors: {
    ...defaultDoorSettings(),
    'listen-port': {
      port: v1.listenPort,
      allowFrom: v1.listenAllowFrom,
      hostNames: v1.listenHostNames,
    },
  },
});

/** Migrate then validate, as the store does. */
function open(json: unknown): Result {
  const migrated = migrateSettings(json);
  if (!migrated.ok) return { ok: false, error: migrated.error };
  const parsed = SettingsSchema.safeParse(migrated.value.value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: 'schema' };
}
type Result = { ok: true; value: Settings } | { ok: false; error: string };

const v1File = {
  extensionType: 'pbx-events',
  lines: 4,
  listenPort: 5555,
  listenAllowFrom: ['10.1.2.3'],
  listenHostNames: ['pbx.example.com'],
};

/** Ways to break a v1 file: a field set to a wrong value, or removed (undefined). */
const V1_FAULTS: readonly (readonly [string, unknown])[] = [
  ['extensionType', 'sip'],
  ['extensionType', undefined],
  ['lines', 0],
  ['lines', MAX_LINES + 1],
  ['lines', 1.5],
  ['lines', '4'],
  ['listenPort', 80],
  ['listenPort', 70_000],
  ['listenPort', '5555'],
  ['listenPort', undefined],
  ['listenAllowFrom', ['10.0.0.1', 'nope']],
  ['listenAllowFrom', '10.0.0.1'],
  ['listenAllowFrom', Array.from({ length: 33 }, () => '10.0.0.1')],
  ['listenHostNames', ['bad name']],
  ['listenHostNames', undefined],
  ['colour', 'blue'],
  ['doors', {}],
  ['extension', { type: 'pbx-events' }],
];

/** Valid v1 objects (with and without `"version": 1`), half of them with some faults. */
const v1Like = fc
  .tuple(
    fc.record({
      version: fc.constantFrom(undefined, 1),
      extensionType: fc.constant('pbx-events'),
      lines: fc.integer({ min: 1, max: MAX_LINES }),
      listenPort: fc.integer({ min: 1024, max: 65535 }),
      listenAllowFrom: fc.array(
        fc.oneof(
          fc.ipV4(),
          fc.ipV4().map((ip) => ` ${ip} `),
        ),
        { maxLength: 32 },
      ),
      listenHostNames: fc.array(fc.domain(), { maxLength: 32 }),
    }),
    fc.oneof(
      fc.constant([]),
      fc.array(fc.constantFrom(...V1_FAULTS), { minLength: 1, maxLength: 3 }),
    ),
  )
  // Through JSON, as a file would be: a field set to undefined is then missing.
  .map(([fields, faults]): unknown =>
    JSON.parse(JSON.stringify({ ...fields, ...Object.fromEntries(faults) })),
  );

describe('settings migrations', () => {
  test('there is one step for every version before the current one', () => {
    assert.equal(MIGRATIONS.length, SETTINGS_VERSION - 1);
  });

  test('a version 1 file becomes the version 2 shape', () => {
    assert.deepEqual(migrateSettings(v1File), {
      ok: true,
      value: {
        from: 1,
        value: {
          version: 2,
          extension: { type: 'pbx-events' },
          lines: 4,
          doors: {
            'listen-port': { port: 5555, allowFrom: ['10.1.2.3'], hostNames: ['pbx.example.com'] },
          },
        },
      },
    });
    assert.deepEqual(migrateSettings({ ...v1File, version: 1 }), migrateSettings(v1File));
  });

  test('a current file passes through untouched', () => {
    const v2 = { version: 2, extension: { type: 'pbx-events' }, lines: 1, whatever: [1] };
    const migrated = migrateSettings(v2);
    assert.ok(migrated.ok);
    assert.equal(migrated.value.value, v2);
    assert.equal(migrated.value.from, 2);
  });

  test('the input is not changed', () => {
    const input = structuredClone(v1File);
    Object.freeze(input);
    Object.freeze(input.listenAllowFrom);
    assert.ok(migrateSettings(input).ok);
    assert.deepEqual(input, v1File);
  });

  test('versions: absent is 1; newer, fractional, negative and non-numbers are refused', () => {
    assert.deepEqual(settingsVersion({}), { ok: true, value: 1 });
    assert.deepEqual(settingsVersion([]), { ok: true, value: 1 });
    assert.deepEqual(settingsVersion('text'), { ok: true, value: 1 });
    assert.deepEqual(settingsVersion({ version: 2 }), { ok: true, value: 2 });
    assert.deepEqual(migrateSettings({ version: 7 }), {
      ok: false,
      error: `settings.json was written by a newer Callbridge (version 7; this one reads up to version ${SETTINGS_VERSION})`,
    });
    for (const [version, shown] of [
      [-1, '-1'],
      [0, '0'],
      [2.5, '2.5'],
      ['2', '"2"'],
      [true, 'true'],
      [{}, 'an object'],
      ['x'.repeat(1000), JSON.stringify('x'.repeat(40))],
    ] as const) {
      assert.deepEqual(migrateSettings({ version }), {
        ok: false,
        error: `settings.json has version ${shown}, which is not a whole number of 1 or more`,
      });
    }
  });

  test('a version 1 file holding a key of the newer shape is refused, not silently taken', () => {
    const { extensionType: _type, ...rest } = v1File;
    assert.deepEqual(migrateSettings({ ...rest, extension: { type: 'pbx-events' } }), {
      ok: false,
      error:
        'settings.json has no "version", so it is read as version 1, which has no field "extension"',
    });
  });

  test('field names of a migrated file are given as the user wrote them', () => {
    const cases: [string, number, string][] = [
      ['doors.listen-port.allowFrom.1', 1, 'listenAllowFrom.1'],
      ['doors.listen-port.hostNames', 1, 'listenHostNames'],
      ['doors.listen-port.port', 1, 'listenPort'],
      ['extension.type', 1, 'extensionType'],
      ['extension', 1, 'extensionType'],
      ['lines', 1, 'lines'],
      ['(settings)', 1, '(settings)'],
      ['extensions', 1, 'extensions'],
      ['doors.listen-port.port', 2, 'doors.listen-port.port'],
    ];
    for (const [field, from, written] of cases) {
      assert.equal(fieldAsWritten(field, from), written, `${field} from version ${from}`);
    }
  });

  test('property: a v1 object keeps its meaning, and an invalid one stays invalid', () => {
    let valid = 0;
    fc.assert(
      fc.property(v1Like, (v1) => {
        const { version: _version, ...fields } = v1 as Record<string, unknown>;
        const before = V1SettingsSchema.safeParse(fields);
        const after = open(v1);
        assert.equal(after.ok, before.success);
        if (before.success && after.ok) {
          valid++;
          assert.deepEqual(after.value, meaningOf(before.data));
        }
      }),
      { numRuns: 500 },
    );
    assert.ok(valid > 100, `only ${valid} valid samples`);
  });

  test('property: never throws on any JSON, and a refusal is a sentence about settings.json', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record({ version: fc.jsonValue() }),
          fc.dictionary(fc.constantFrom('version', 'extension', 'doors', 'lines'), fc.jsonValue()),
        ),
        (json) => {
          const migrated = migrateSettings(json);
          if (!migrated.ok) assert.match(migrated.error, /^settings\.json /);
          else assert.ok(migrated.value.from >= 1 && migrated.value.from <= SETTINGS_VERSION);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
