import { useState, type SubmitEvent } from 'react';
import { EXTENSION_TYPE_LABELS, ExtensionTypeSchema } from '../../../shared/model/settings.ts';
import type { Settings } from '../../../shared/model/settings.ts';
import type { ListenPortStatus } from '../../../shared/bridge/contract.ts';
import type { SaveState } from '../../store/settings-slice.ts';
import { describeListenPort } from '../format.ts';
import { ErrorSummary } from './ErrorSummary.tsx';
import { Field, controlProps, fieldIds } from './Field.tsx';
import {
  FIELD_LABELS,
  describeFieldError,
  toFormValues,
  toRequest,
  type FieldName,
  type FormValues,
  type ShownError,
} from './form-values.ts';
import { useSaveSettings } from './use-save-settings.ts';

interface SettingsFormProps {
  /** The settings the core holds; the form starts from them and is remounted when they change. */
  readonly settings: Settings;
  readonly listenPort: ListenPortStatus;
  readonly save: SaveState;
}

const IDS = {
  extensionType: fieldIds('extensionType'),
  lines: fieldIds('lines'),
  listenPort: fieldIds('listenPort'),
  listenAllowFrom: fieldIds('listenAllowFrom'),
  listenHostNames: fieldIds('listenHostNames'),
} as const;

export function SettingsForm({ settings, listenPort, save }: SettingsFormProps) {
  const [values, setValues] = useState<FormValues>(() => toFormValues(settings));
  // Errors name list entries by index, so they are read against what was sent.
  const [submitted, setSubmitted] = useState<FormValues>(values);
  const saveSettings = useSaveSettings();

  const shown: readonly ShownError[] =
    save.status === 'failed'
      ? save.fields.map((error) => describeFieldError(error, submitted))
      : [];
  const errorsFor = (field: FieldName) =>
    shown.filter((error) => error.field === field).map((error) => error.text);
  const edit = (field: FieldName) => (event: { target: { value: string } }) => {
    setValues((current) => ({ ...current, [field]: event.target.value }));
  };

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

      <Field
        ids={IDS.extensionType}
        label={FIELD_LABELS.extensionType}
        help="How Callbridge reaches your phone system."
        errors={errorsFor('extensionType')}
      >
        <select
          {...controlProps(IDS.extensionType, errorsFor('extensionType'))}
          value={values.extensionType}
          onChange={edit('extensionType')}
        >
          {ExtensionTypeSchema.options.map((type) => (
            <option key={type} value={type}>
              {EXTENSION_TYPE_LABELS[type]}
            </option>
          ))}
        </select>
      </Field>

      <div className="field-pair">
        <Field
          ids={IDS.lines}
          label={FIELD_LABELS.lines}
          help="How many lines the Comms Manager shows, from 1 to 64."
          errors={errorsFor('lines')}
        >
          <input
            {...controlProps(IDS.lines, errorsFor('lines'))}
            type="number"
            inputMode="numeric"
            min={1}
            max={64}
            step={1}
            value={values.lines}
            onChange={edit('lines')}
          />
        </Field>

        <Field
          ids={IDS.listenPort}
          label={FIELD_LABELS.listenPort}
          help={
            <>
              Where your PBX or CRM sends call events, from 1024 to 65535. Now:{' '}
              {describeListenPort(listenPort)}.
            </>
          }
          errors={errorsFor('listenPort')}
        >
          <input
            {...controlProps(IDS.listenPort, errorsFor('listenPort'))}
            type="number"
            inputMode="numeric"
            min={1024}
            max={65535}
            step={1}
            value={values.listenPort}
            onChange={edit('listenPort')}
          />
        </Field>
      </div>

      <Field
        ids={IDS.listenAllowFrom}
        label={FIELD_LABELS.listenAllowFrom}
        help="IP addresses of PBXs on other computers that may post call events to the listen port, one per line or separated by commas. Leave empty to accept events from this computer only."
        errors={errorsFor('listenAllowFrom')}
      >
        <textarea
          {...controlProps(IDS.listenAllowFrom, errorsFor('listenAllowFrom'))}
          rows={3}
          spellCheck={false}
          placeholder="192.168.1.20"
          value={values.listenAllowFrom}
          onChange={edit('listenAllowFrom')}
        />
      </Field>

      <Field
        ids={IDS.listenHostNames}
        label={FIELD_LABELS.listenHostNames}
        help="Names a PBX on another computer uses for this one in its URLs, separated by commas. Requests addressed to any other name are refused."
        errors={errorsFor('listenHostNames')}
      >
        <input
          {...controlProps(IDS.listenHostNames, errorsFor('listenHostNames'))}
          type="text"
          spellCheck={false}
          autoComplete="off"
          placeholder="reception-pc.example.local"
          value={values.listenHostNames}
          onChange={edit('listenHostNames')}
        />
      </Field>

      <div className="form-actions">
        <button type="submit" className="button button-primary">
          {save.status === 'saving' ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
