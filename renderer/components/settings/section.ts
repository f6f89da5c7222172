import type { FieldError } from '../../../shared/model/settings.ts';

/**
 * One section of the Settings form (the extension type's fields, a door's fields): what
 * it holds while edited (text, as typed), how that turns into its part of the request for
 * the core, and how the core's per-field errors read next to its fields. Nothing is
 * validated here: the core answers with errors from SettingsSchema, and those are shown.
 */

export interface FieldSpec {
  /** The label a person (and a screen reader, and the e2e tests) reads. */
  readonly label: string;
  /** A list typed as text; the core's errors name its entries by index. */
  readonly list?: boolean;
}

/** Field names are the section's own keys in Settings, so error paths map one to one. */
export type SectionValues<F extends string> = Readonly<Record<F, string>>;

export interface SectionModel<Saved, F extends string> {
  readonly fields: Readonly<Record<F, FieldSpec>>;
  toValues(saved: Saved): SectionValues<F>;
  toRequest(values: SectionValues<F>): Record<string, unknown>;
}

/** The field names of a section model. */
export type FieldsOf<M> = M extends { readonly fields: Readonly<Record<infer F, FieldSpec>> }
  ? F & string
  : never;

/** A field's path as the core's errors spell it: "lines", "doors.listen-port.allowFrom". */
export const fieldPath = (section: string, name: string): string =>
  section === '' ? name : `${section}.${name}`;

export interface FieldIds {
  readonly input: string;
  readonly help: string;
  readonly error: string;
}

export const fieldIds = (path: string): FieldIds => {
  const name = path.replace(/[^A-Za-z0-9_-]+/g, '-');
  return {
    input: `setting-${name}`,
    help: `setting-${name}-help`,
    error: `setting-${name}-error`,
  };
};

export const splitList = (text: string): string[] =>
  text
    .split(/[\s,;]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** Numbers as numbers; anything else as typed, so the core's message names the problem. */
export const numberOrText = (text: string): number | string =>
  /^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : text.trim();

export interface ShownError {
  /** The path of the form field it belongs to, or null when it belongs to no one field. */
  readonly field: string | null;
  /** A sentence that makes sense on its own, e.g. "Lines must be at most 64". */
  readonly text: string;
}

/**
 * Turns the core's `{ field: "doors.listen-port.allowFrom.1", message }` into words a
 * person reads next to the field: which field, and for lists which entry. Null when the
 * error is not about this section; when it is about the section but none of its fields,
 * it is named after `sectionLabel` and belongs to no field.
 */
export function describeSectionError<F extends string>(
  section: string,
  sectionLabel: string | null,
  fields: Readonly<Record<F, FieldSpec>>,
  values: SectionValues<F>,
  error: FieldError,
): ShownError | null {
  const rest =
    section === '' || error.field === section
      ? error.field.slice(section.length)
      : error.field.startsWith(`${section}.`)
        ? error.field.slice(section.length + 1)
        : null;
  if (rest === null) return null;
  const [head = '', index] = rest.split('.');
  const name = (Object.keys(fields) as F[]).find((key) => key === head);
  if (name === undefined) {
    return sectionLabel === null
      ? null
      : { field: null, text: `${sectionLabel}: ${error.message}` };
  }
  const { label, list = false } = fields[name];
  const field = fieldPath(section, name);
  if (index !== undefined && list) {
    const entry = splitList(values[name])[Number(index)];
    if (entry !== undefined) return { field, text: `${label}: “${entry}” ${error.message}` };
  }
  const startsWithLabel = error.message.toLowerCase().startsWith(label.toLowerCase());
  return { field, text: startsWithLabel ? error.message : `${label} ${error.message}` };
}

/** One field as a section's component sees it: its label, ids, value and the core's complaints. */
export interface BoundField {
  readonly ids: FieldIds;
  readonly label: string;
  readonly errors: readonly string[];
  readonly value: string;
  readonly onChange: (event: { readonly target: { readonly value: string } }) => void;
}

/** What every section component receives: its fields, bound to the form's state. */
export interface SectionProps<F extends string> {
  readonly field: (name: F) => BoundField;
}

export type SectionUpdate<F extends string> = (
  change: (values: SectionValues<F>) => SectionValues<F>,
) => void;

/** Binds a section's fields to the form: values, the errors shown for each, and edits. */
export function bindSection<F extends string>(
  section: string,
  fields: Readonly<Record<F, FieldSpec>>,
  values: SectionValues<F>,
  shown: readonly ShownError[],
  update: SectionUpdate<F>,
): (name: F) => BoundField {
  return (name) => {
    const path = fieldPath(section, name);
    return {
      ids: fieldIds(path),
      label: fields[name].label,
      errors: shown.filter((error) => error.field === path).map((error) => error.text),
      value: values[name],
      onChange: (event) => {
        const text = event.target.value;
        update((current) => ({ ...current, [name]: text }));
      },
    };
  };
}

/**
 * An object with an entry for each of `keys` (every door, every extension type), each
 * made for its own key. `keys` must list every key of `R`; the cast only says what
 * `Object.fromEntries` cannot.
 */
export const recordOf = <
  R extends Readonly<Record<K, unknown>>,
  K extends string = keyof R & string,
>(
  keys: readonly K[],
  make: (key: K) => R[K],
): R => Object.fromEntries(keys.map((key) => [key, make(key)])) as R;
