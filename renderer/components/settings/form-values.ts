import type { AudioSettings, FieldError, Settings } from '../../../shared/model/settings.ts';
import {
  describeDoorsError,
  toDoorValues,
  toDoorsRequest,
  type DoorFormValues,
} from './doors/models.ts';
import {
  describeExtensionError,
  toExtensionRequest,
  toExtensionValues,
  type ExtensionFormValues,
} from './extension/models.ts';
import {
  describeSectionError,
  numberOrText,
  type FieldSpec,
  type SectionValues,
  type ShownError,
} from './section.ts';

/**
 * The whole Settings form: the extension, the fields of no section (lines), and each
 * door's section. Each section owns its values, request and errors; this only joins them.
 */
export interface FormValues {
  readonly extension: ExtensionFormValues;
  readonly general: SectionValues<GeneralField>;
  /** Devices are chosen from a list, never typed: kept as the settings hold them. */
  readonly audio: AudioSettings;
  readonly doors: DoorFormValues;
}

type GeneralField = 'lines' | 'defaultCountry';

/** Fields at the top level of Settings. */
export const GENERAL_FIELDS: Readonly<Record<GeneralField, FieldSpec>> = {
  lines: { label: 'Lines' },
  defaultCountry: { label: 'Default country' },
};

export function toFormValues(settings: Settings): FormValues {
  return {
    extension: toExtensionValues(settings.extension),
    general: { lines: String(settings.lines), defaultCountry: settings.defaultCountry },
    audio: settings.audio,
    doors: toDoorValues(settings.doors),
  };
}

/** What `saveSettings` is sent: the current settings shape, `version` left to the core. */
export function toRequest(values: FormValues): Record<string, unknown> {
  return {
    extension: toExtensionRequest(values.extension),
    lines: numberOrText(values.general.lines),
    defaultCountry: values.general.defaultCountry,
    audio: values.audio,
    doors: toDoorsRequest(values.doors),
  };
}

/** The core's error for one field, in words, tied to the field it is about. */
export function describeFieldError(error: FieldError, values: FormValues): ShownError {
  return (
    describeExtensionError(values.extension, error) ??
    describeDoorsError(values.doors, error) ??
    describeSectionError('', null, GENERAL_FIELDS, values.general, error) ?? {
      field: null,
      text: error.message,
    }
  );
}
