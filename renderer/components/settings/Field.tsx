import type { ReactNode } from 'react';

export interface FieldIds {
  readonly input: string;
  readonly help: string;
  readonly error: string;
}

export const fieldIds = (name: string): FieldIds => ({
  input: `setting-${name}`,
  help: `setting-${name}-help`,
  error: `setting-${name}-error`,
});

/** Props that tie a control to its label, help and error for screen readers. */
export function controlProps(ids: FieldIds, errors: readonly string[]) {
  const invalid = errors.length > 0;
  return {
    id: ids.input,
    'aria-invalid': invalid || undefined,
    'aria-describedby': invalid ? `${ids.error} ${ids.help}` : ids.help,
  };
}

interface FieldProps {
  readonly ids: FieldIds;
  readonly label: string;
  readonly help: ReactNode;
  readonly errors: readonly string[];
  readonly children: ReactNode;
}

/** Label, control, the core's complaint (if any) and help text, in reading order. */
export function Field({ ids, label, help, errors, children }: FieldProps) {
  return (
    <div className={`field${errors.length > 0 ? ' field-invalid' : ''}`}>
      <label htmlFor={ids.input}>{label}</label>
      {children}
      {errors.length > 0 && (
        <ul id={ids.error} className="field-error">
          {errors.map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      )}
      <p id={ids.help} className="field-help">
        {help}
      </p>
    </div>
  );
}
