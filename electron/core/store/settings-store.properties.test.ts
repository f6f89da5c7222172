import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { SettingsSchema } from '../../../shared/model/settings.ts';
import { migrateSettings } from './settings-migrations.ts';
import { SETTINGS_FILE, SettingsStore } from './settings-store.ts';
import { dir, file, freshProfileEachTest } from './store.test-support.ts';

freshProfileEachTest('callbridge-settings-', SETTINGS_FILE);

/** Generated files and settings: open never throws, and what save accepts reads back. */
describe('SettingsStore: properties', () => {
  test('property: any JSON in the file, open never throws and get() fits the schema', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue().map((value) => JSON.stringify(value)),
          fc.string(),
          fc
            .record({
              extensionType: fc.constantFrom('pbx-events', 'sip', ''),
              lines: fc.oneof(fc.integer({ min: -5, max: 70 }), fc.double()),
              listenPort: fc.integer({ min: 0, max: 70_000 }),
              listenAllowFrom: fc.array(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string())),
              listenHostNames: fc.array(fc.oneof(fc.domain(), fc.string())),
            })
            .map((value) => JSON.stringify(value)),
          fc
            .record(
              {
                version: fc.oneof(
                  { weight: 4, arbitrary: fc.constant(2) },
                  fc.constantFrom(1, 3, '2', 0),
                ),
                extension: fc.record({ type: fc.constantFrom('pbx-events', 'sip') }),
                lines: fc.integer({ min: -5, max: 70 }),
                doors: fc.record(
                  { 'listen-port': listenPortSection(fc.integer({ min: 0, max: 70_000 })) },
                  { requiredKeys: [] },
                ),
              },
              { requiredKeys: ['extension', 'lines'] },
            )
            .map((value) => JSON.stringify(value)),
        ),
        (text) => {
          fs.writeFileSync(file, text);
          const store = SettingsStore.open(dir);
          assert.ok(SettingsSchema.safeParse(store.get()).success);
          const migrated = migrateSettings(safeJson(text));
          const expected = migrated.ok ? SettingsSchema.safeParse(migrated.value.value) : null;
          assert.equal(store.problem === null, expected?.success === true);
          if (expected?.success === true) assert.deepEqual(store.get(), expected.data);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('property: whatever save accepts reads back the same after reopening', () => {
    fc.assert(
      fc.property(
        fc.record({
          extension: fc.constant({ type: 'pbx-events' as const }),
          lines: fc.integer({ min: 1, max: 64 }),
          doors: fc.record({
            'listen-port': listenPortSection(fc.integer({ min: 1024, max: 65535 })),
          }),
        }),
        (settings) => {
          const saved = SettingsStore.open(dir).save(settings);
          if (!saved.ok) return; // fc.domain() can exceed the schema's host name rules
          assert.deepEqual(SettingsStore.open(dir).get(), saved.value);
        },
      ),
      { numRuns: 100 },
    );
  });
});

/** A listen-port section whose addresses and names are mostly valid. */
function listenPortSection(port: fc.Arbitrary<number>) {
  return fc.record({
    port,
    // fc.ipV6() writes some forms (::ffff:1.2.3.4) that the schema's simple check refuses.
    allowFrom: fc.array(fc.ipV4(), { maxLength: 32 }),
    hostNames: fc.array(fc.domain(), { maxLength: 32 }),
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
