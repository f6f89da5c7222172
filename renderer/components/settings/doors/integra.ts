import type { IntegraSettings } from '../../../../shared/doors/integra.ts';
import { INTEGRA_EVENT_NAMES, type IntegraEvent } from '../../../../shared/protocols/integra.ts';
import { numberOrText, recordOf, type FieldSpec, type SectionModel } from '../section.ts';

/**
 * Integra's section: the switches, one checkbox per event (named as the vendor names them, so
 * a user coming from VOIspeed finds them), the command and its limits. Checkboxes hold
 * 'true' or 'false', as every form value here is text.
 */
export type IntegraField =
  | 'enabled'
  | 'externalOnly'
  | 'internalDigits'
  | IntegraEvent
  | 'command'
  | 'timeLimitSeconds'
  | 'maxRunning';

const flag = (on: boolean): string => String(on);

const eventFields = recordOf<Readonly<Record<IntegraEvent, FieldSpec>>>(
  INTEGRA_EVENT_NAMES,
  (name) => ({ label: name }),
);

export const integraModel: SectionModel<IntegraSettings, IntegraField> = {
  fields: {
    enabled: { label: 'Enable Integra' },
    externalOnly: { label: 'Only on external calls' },
    internalDigits: { label: 'Longest internal number (digits)' },
    ...eventFields,
    command: { label: 'Command to be performed' },
    timeLimitSeconds: { label: 'Time limit (seconds)' },
    maxRunning: { label: 'Commands at once' },
  },
  toValues: (saved) => ({
    enabled: flag(saved.enabled),
    externalOnly: flag(saved.externalOnly),
    internalDigits: String(saved.internalDigits),
    ...recordOf<Readonly<Record<IntegraEvent, string>>>(INTEGRA_EVENT_NAMES, (name) =>
      flag(saved.events.includes(name)),
    ),
    command: saved.command,
    timeLimitSeconds: String(saved.timeLimitSeconds),
    maxRunning: String(saved.maxRunning),
  }),
  toRequest: (values) => ({
    enabled: values.enabled === 'true',
    externalOnly: values.externalOnly === 'true',
    internalDigits: numberOrText(values.internalDigits),
    events: INTEGRA_EVENT_NAMES.filter((name) => values[name] === 'true'),
    command: values.command,
    timeLimitSeconds: numberOrText(values.timeLimitSeconds),
    maxRunning: numberOrText(values.maxRunning),
  }),
};
