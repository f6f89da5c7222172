import {
  EXTENSION_TYPES,
  type Extension,
  type ExtensionType,
  type FieldError,
} from '../../../../shared/model/settings.ts';
import {
  describeSectionError,
  recordOf,
  type FieldSpec,
  type FieldsOf,
  type SectionValues,
  type ShownError,
} from '../section.ts';
import type { ExtensionModel, ExtensionOf } from './extension-model.ts';
import { pbxEventsModel } from './pbx-events.ts';
import { sipModel } from './sip.ts';
import { telModel } from './tel.ts';

/**
 * Each extension type's own fields. One line per type; a type in shared/model/settings.ts
 * without a line here (and a component in ./registry.ts) is a compile error.
 */
const MODELS = {
  'pbx-events': pbxEventsModel,
  sip: sipModel,
  tel: telModel,
};

export type ExtensionFields = { readonly [T in ExtensionType]: FieldsOf<(typeof MODELS)[T]> };

export const EXTENSION_MODELS: {
  readonly [T in ExtensionType]: ExtensionModel<T, ExtensionFields[T]>;
} = MODELS;

/**
 * The chosen type, and the fields of every type: switching the type and back keeps what
 * was typed. Types other than the saved one start from their defaults.
 */
export interface ExtensionFormValues {
  readonly type: ExtensionType;
  readonly byType: { readonly [T in ExtensionType]: SectionValues<ExtensionFields[T]> };
}

export const EXTENSION_PATH = 'extension';
export const TYPE_FIELDS: Readonly<Record<'type', FieldSpec>> = {
  type: { label: 'Extension type' },
};

const isOfType = <T extends ExtensionType>(saved: Extension, type: T): saved is ExtensionOf<T> => {
  // Widened: while there is one type, the compiler knows the answer; the check is for more.
  const savedType: string = saved.type;
  return savedType === type;
};

const valuesFor = <T extends ExtensionType>(
  type: T,
  saved: Extension,
): SectionValues<ExtensionFields[T]> =>
  isOfType(saved, type)
    ? EXTENSION_MODELS[type].toValues(saved)
    : EXTENSION_MODELS[type].initialValues();

export const toExtensionValues = (saved: Extension): ExtensionFormValues => ({
  type: saved.type,
  byType: recordOf<ExtensionFormValues['byType']>(EXTENSION_TYPES, (type) =>
    valuesFor(type, saved),
  ),
});

/** A copy of the form's extension values with one type's fields replaced. */
export const withTypeValues = <T extends ExtensionType>(
  values: ExtensionFormValues,
  type: T,
  fields: SectionValues<ExtensionFields[T]>,
): ExtensionFormValues => ({ ...values, byType: { ...values.byType, [type]: fields } });

// Generic, with the type's own entry, so that each type's model meets its own values.
const requestFor = <T extends ExtensionType>(
  type: T,
  byType: Pick<ExtensionFormValues['byType'], T>,
): Record<string, unknown> => ({ type, ...EXTENSION_MODELS[type].toRequest(byType[type]) });

export const toExtensionRequest = (values: ExtensionFormValues): Record<string, unknown> =>
  requestFor(values.type, values.byType);

const describeTypeFieldError = <T extends ExtensionType>(
  type: T,
  byType: Pick<ExtensionFormValues['byType'], T>,
  error: FieldError,
): ShownError | null =>
  describeSectionError(
    EXTENSION_PATH,
    'Extension',
    EXTENSION_MODELS[type].fields,
    byType[type],
    error,
  );

export const describeExtensionError = (
  values: ExtensionFormValues,
  error: FieldError,
): ShownError | null =>
  describeSectionError(EXTENSION_PATH, null, TYPE_FIELDS, { type: values.type }, error) ??
  describeTypeFieldError(values.type, values.byType, error);

export const parseExtensionType = (value: string): ExtensionType | null =>
  EXTENSION_TYPES.find((type) => type === value) ?? null;
