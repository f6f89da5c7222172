import type { FieldError, Settings } from '../../../shared/model/settings.ts';

/**
 * What the Settings form holds while it is edited (text, as typed) and how it turns into
 * the request for the core. Nothing is validated here: the core answers with per-field
 * errors from SettingsSchema, and that answer is the one shown.
 */
export interface FormValues {
  readonly extensionType: string;
  readonly lines: string;
  readonly listenPort: string;
  readonly listenAllowFrom: string;
  readonly listenHostNames: string;
}

export type FieldName = keyof FormValues;

export const FIELD_LABELS: Readonly<Record<FieldName, string>> = {
  extensionType: 'Extension type',
  lines: 'Lines',
  listenPort: 'Listen port',
  listenAllowFrom: 'Allowed PBX addresses',
  listenHostNames: 'Host names for this computer',
};

const FIELD_NAMES = Object.keys(FIELD_LABELS) as FieldName[];

export function toFormValues(settings: Settings): FormValues {
  return {
    extensionType: settings.extensionType,
    lines: String(settings.lines),
    listenPort: String(settings.listenPort),
    listenAllowFrom: settings.listenAllowFrom.join('\n'),
    listenHostNames: settings.listenHostNames.join(', '),
  };
}

export const splitList = (text: string): string[] =>
  text
    .split(/[\s,;]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** Numbers as numbers; anything else as typed, so the core's message names the problem. */
const numberOrText = (text: string): number | string =>
  /^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : text.trim();

export function toRequest(values: FormValues): Record<string, unknown> {
  return {
    extensionType: values.extensionType,
    lines: numberOrText(values.lines),
    listenPort: numberOrText(values.listenPort),
    listenAllowFrom: splitList(values.listenAllowFrom),
    listenHostNames: splitList(values.listenHostNames),
  };
}

export interface ShownError {
  /** The form field it belongs to, or null when it belongs to the settings as a whole. */
  readonly field: FieldName | null;
  /** A sentence that makes sense on its own, e.g. "Lines must be at most 64". */
  readonly text: string;
}

/**
 * Turns the core's `{ field: "listenAllowFrom.1", message }` into words a person reads
 * next to the field: which field, and for lists which entry.
 */
export function describeFieldError(error: FieldError, values: FormValues): ShownError {
  const [head = '', index] = error.field.split('.');
  const field = FIELD_NAMES.find((name) => name === head) ?? null;
  if (!field) return { field: null, text: error.message };
  const label = FIELD_LABELS[field];
  const startsWithLabel = error.message.toLowerCase().startsWith(label.toLowerCase());
  if (index !== undefined && (field === 'listenAllowFrom' || field === 'listenHostNames')) {
    const entry = splitList(values[field])[Number(index)];
    if (entry !== undefined) return { field, text: `${label}: “${entry}” ${error.message}` };
  }
  return { field, text: startsWithLabel ? error.message : `${label} ${error.message}` };
}
