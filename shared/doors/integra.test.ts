import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SettingsSchema, defaultSettings, settingsFieldErrors } from '../model/settings.ts';
import { INTEGRA_DEFAULTS, IntegraSettingsSchema, isInternalNumber } from './integra.ts';

const errorsOf = (section: unknown) => {
  const result = IntegraSettingsSchema.safeParse(section);
  return result.success ? [] : settingsFieldErrors(result.error);
};

describe('Integra settings section', () => {
  it('is off by default, and a settings file written before Integra reads without a migration', () => {
    const { doors: _doors, ...rest } = defaultSettings();
    const old = SettingsSchema.parse({
      ...rest,
      doors: { 'listen-port': { port: 5555, allowFrom: [], hostNames: [] } },
    });
    assert.deepEqual(old.doors.integra, INTEGRA_DEFAULTS);
    assert.equal(old.doors.integra.enabled, false);
    assert.deepEqual(errorsOf(INTEGRA_DEFAULTS), []);
  });

  it('needs a command once enabled, and says what is wrong with a bad one next to it', () => {
    assert.deepEqual(errorsOf({ ...INTEGRA_DEFAULTS, enabled: true }), [
      { field: 'command', message: 'is needed to enable Integra' },
    ]);
    for (const enabled of [true, false]) {
      assert.deepEqual(errorsOf({ ...INTEGRA_DEFAULTS, enabled, command: 'hook "!01' }), [
        {
          field: 'command',
          message: 'is not valid: the double quote is not closed at character 6',
        },
      ]);
    }
    assert.match(
      errorsOf({ ...INTEGRA_DEFAULTS, command: 'hook !09' })[0]?.message ?? '',
      /!09 is not a placeholder/,
    );
    assert.deepEqual(
      errorsOf({ ...INTEGRA_DEFAULTS, enabled: true, command: '/usr/bin/logger !01 !02' }),
      [],
    );
  });

  it('takes each event once, by its vendor name, and its limits in range', () => {
    const fields = (section: object) =>
      errorsOf({ ...INTEGRA_DEFAULTS, ...section }).map(({ field }) => field);
    assert.deepEqual(fields({ events: ['CALL_IN', 'CALL_IN'] }), ['events']);
    assert.deepEqual(fields({ events: ['CALL_RING'] }), ['events.0']);
    assert.deepEqual(fields({ timeLimitSeconds: 0, maxRunning: 17, internalDigits: 1.5 }), [
      'internalDigits',
      'timeLimitSeconds',
      'maxRunning',
    ]);
    assert.deepEqual(fields({ shell: true }), ['(settings)']);
    // A bad command is named together with the other bad fields, not only once they are fixed.
    assert.deepEqual(fields({ command: 'x "', timeLimitSeconds: 0 }), [
      'command',
      'timeLimitSeconds',
    ]);
  });
});

describe('isInternalNumber', () => {
  it('is internal for up to N digits, separators aside, and external for anything else', () => {
    for (const number of ['201', '9999', '20-1', '(20) 1', '1']) {
      assert.equal(isInternalNumber(number, 4), true, number);
    }
    for (const number of ['10000', '+201', '026161616', 'alice', '*97', '', ' ', '20a']) {
      assert.equal(isInternalNumber(number, 4), false, number);
    }
    assert.equal(isInternalNumber('026161616', 9), true);
  });
});
