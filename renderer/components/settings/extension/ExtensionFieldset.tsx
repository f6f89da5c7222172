import { EXTENSION_TYPES, EXTENSION_TYPE_LABELS } from '../../../../shared/model/settings.ts';
import type { ExtensionType } from '../../../../shared/model/settings.ts';
import { Field, controlProps } from '../Field.tsx';
import { bindSection, type ShownError } from '../section.ts';
import {
  EXTENSION_MODELS,
  EXTENSION_PATH,
  TYPE_FIELDS,
  parseExtensionType,
  withTypeValues,
  type ExtensionFields,
  type ExtensionFormValues,
} from './models.ts';
import { EXTENSION_SECTIONS, type ExtensionSectionComponent } from './registry.ts';

type Update = (change: (values: ExtensionFormValues) => ExtensionFormValues) => void;

interface ExtensionFieldsetProps {
  readonly values: ExtensionFormValues;
  readonly shown: readonly ShownError[];
  readonly update: Update;
}

/** The chosen type's own fields, from its section in the registry. */
function TypeSection<T extends ExtensionType>({
  type,
  byType,
  shown,
  update,
}: {
  readonly type: T;
  readonly byType: Pick<ExtensionFormValues['byType'], T>;
  readonly shown: readonly ShownError[];
  readonly update: Update;
}) {
  const Section: ExtensionSectionComponent<ExtensionFields[T]> = EXTENSION_SECTIONS[type];
  const field = bindSection(
    EXTENSION_PATH,
    EXTENSION_MODELS[type].fields,
    byType[type],
    shown,
    (change) => {
      update((current) => withTypeValues(current, type, change(current.byType[type])));
    },
  );
  return <Section field={field} />;
}

/** How Callbridge reaches the phone: the type, then that type's own fields. */
export function ExtensionFieldset({ values, shown, update }: ExtensionFieldsetProps) {
  const typeField = bindSection(
    EXTENSION_PATH,
    TYPE_FIELDS,
    { type: values.type },
    shown,
    (change) => {
      update((current) => {
        const type = parseExtensionType(change({ type: current.type }).type);
        return type ? { ...current, type } : current;
      });
    },
  );
  const type = typeField('type');
  return (
    <fieldset className="settings-section">
      <legend>Extension</legend>
      <Field field={type} help="How Callbridge reaches your phone system.">
        <select {...controlProps(type)}>
          {EXTENSION_TYPES.map((option) => (
            <option key={option} value={option}>
              {EXTENSION_TYPE_LABELS[option]}
            </option>
          ))}
        </select>
      </Field>
      <TypeSection type={values.type} byType={values.byType} shown={shown} update={update} />
    </fieldset>
  );
}
