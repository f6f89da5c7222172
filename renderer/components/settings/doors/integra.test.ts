import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  INTEGRA_DEFAULTS,
  IntegraSettingsSchema,
  type IntegraSettings,
} from '../../../../shared/doors/integra.ts';
import { integraModel } from './integra.ts';

const custom: IntegraSettings = {
  enabled: true,
  externalOnly: true,
  internalDigits: 3,
  events: ['CALL_OUT', 'CALL_CLOSE', 'CALL_BUSY'],
  command: '"/opt/crm/pop up.sh" ! 01 !02',
  timeLimitSeconds: 20,
  maxRunning: 1,
};

describe('Integra form section', () => {
  it('turns back into the very section it came from', () => {
    for (const section of [INTEGRA_DEFAULTS, custom]) {
      const request = integraModel.toRequest(integraModel.toValues(section));
      assert.deepEqual(IntegraSettingsSchema.parse(request), section);
    }
  });

  it('sends the events ticked in the order the vendor lists them', () => {
    const shuffled = { ...custom, events: ['CALL_BUSY', 'CALL_OUT'] as const };
    const request = integraModel.toRequest(integraModel.toValues(shuffled));
    assert.deepEqual(request['events'], ['CALL_OUT', 'CALL_BUSY']);
  });

  it('holds one checkbox per event, labelled with its name, ticked as saved', () => {
    const values = integraModel.toValues(custom);
    assert.equal(integraModel.fields.CALL_IN.label, 'CALL_IN');
    assert.deepEqual(
      [values.enabled, values.CALL_IN, values.CALL_OUT, values.CALL_BUSY],
      ['true', 'false', 'true', 'true'],
    );
    assert.equal(values.command, custom.command);
  });
});
