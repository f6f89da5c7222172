import { useState, type SubmitEvent } from 'react';
import type { DoorsView } from '../../../shared/bridge/contract.ts';
import { DOOR_IDS } from '../../../shared/doors/registry.ts';
import { MAX_LINES } from '../../../shared/model/line-table.ts';
import type { Settings } from '../../../shared/model/settings.ts';
import { callingCode, COUNTRIES } from '../../../shared/protocols/phone-number.ts';
import type { SaveState } from '../../store/settings-slice.ts';
import { DoorFieldset } from './doors/DoorFieldset.tsx';
import { AudioDevicesFieldset } from './AudioDevicesFieldset.tsx';
import { ErrorSummary } from './ErrorSummary.tsx';
import { ExtensionFieldset } from './extension/ExtensionFieldset.tsx';
import { controlProps, Field, WholeNumberInput } from './Field.tsx';
import {
  GENERAL_FIELDS,
  describeFieldError,
  toFormValues,
  toRequest,
  type FormValues,
} from './form-values.ts';
import { bindSection, type ShownError } from './section.ts';
import { useSaveSettings } from './use-save-settings.ts';

/** "Germany (+49)", sorted by the name in the page's language. */
const COUNTRY_OPTIONS = (() => {
  const names = new Intl.DisplayNames(undefined, { type: 'region' });
  return COUNTRIES.map((code) => ({
    code,
    label: `${names.of(code) ?? code} (${callingCode(code)})`,
  })).sort((a, b) => a.label.localeCompare(b.label));
})();

interface SettingsFormProps {
  /** The settings the core holds; the form starts from them and is remounted when they change. */
  readonly settings: Settings;
  /** Each door as it is now, for the sections to show beside their settings. */
  readonly doors: DoorsView | null;
  readonly save: SaveState;
}

/** Lets one part of the form state be updated by the section that owns it. */
const part =
  <K extends keyof FormValues>(
    setValues: (change: (values: FormValues) => FormValues) => void,
    key: K,
  ) =>
  (change: (values: FormValues[K]) => FormValues[K]) => {
    setValues((current) => ({ ...current, [key]: change(current[key]) }));
  };

export function SettingsForm({ settings, doors, save }: SettingsFormProps) {
  const [values, setValues] = useState<FormValues>(() => toFormValues(settings));
  // Errors name list entries by index, so they are read against what was sent.
  const [submitted, setSubmitted] = useState<FormValues>(values);
  const saveSettings = useSaveSettings();

  const shown: readonly ShownError[] =
    save.status === 'failed'
      ? save.fields.map((error) => describeFieldError(error, submitted))
      : [];
  const general = bindSection(
    '',
    GENERAL_FIELDS,
    values.general,
    shown,
    part(setValues, 'general'),
  );
  const lines = general('lines');
  const defaultCountry = general('defaultCountry');

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (save.status === 'saving') return;
    setSubmitted(values);
    void saveSettings(toRequest(values));
  };

  return (
    // noValidate: the core's messages, not the browser's bubbles, say what is wrong.
    <form className="settings-form" onSubmit={submit} noValidate>
      {save.status === 'failed' && (
        <ErrorSummary failure={save} message={save.message} errors={shown} />
      )}

      <ExtensionFieldset
        values={values.extension}
        shown={shown}
        update={part(setValues, 'extension')}
      />

      {/* Only the softphone has audio of its own; a desk phone or TEL handler has theirs. */}
      {values.extension.type === 'sip' && (
        <AudioDevicesFieldset value={values.audio} update={part(setValues, 'audio')} />
      )}

      <Field field={lines} help={`How many lines the Comms Manager shows, from 1 to ${MAX_LINES}.`}>
        <WholeNumberInput field={lines} min={1} max={MAX_LINES} />
      </Field>

      <Field
        field={defaultCountry}
        help="Numbers written with + are always dialled in international form. With a country here, national numbers (0611 234567) and ones written with its international prefix (00 44 …) are too; extensions, short codes and anything not a valid number are dialled as typed."
      >
        <select {...controlProps(defaultCountry)}>
          <option value="">None: dial national numbers as typed</option>
          {COUNTRY_OPTIONS.map((option) => (
            <option key={option.code} value={option.code}>
              {option.label}
            </option>
          ))}
        </select>
      </Field>

      {DOOR_IDS.map((door) => (
        <DoorFieldset
          key={door}
          door={door}
          values={values.doors}
          statuses={doors}
          shown={shown}
          update={part(setValues, 'doors')}
        />
      ))}

      <div className="form-actions">
        <button type="submit" className="button button-primary">
          {save.status === 'saving' ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
