import type { ReactNode } from 'react';
import type { BoundField } from './section.ts';

/** Props that tie a control to its label, help, error and value for screen readers. */
export function controlProps({ ids, errors, value, onChange }: BoundField) {
  const invalid = errors.length > 0;
  return {
    id: ids.input,
    'aria-invalid': invalid || undefined,
    'aria-describedby': invalid ? `${ids.error} ${ids.help}` : ids.help,
    value,
    onChange,
  };
}

interface FieldProps {
  readonly field: BoundField;
  readonly help: ReactNode;
  readonly children: ReactNode;
}

/** Label, control, the core's complaint (if any) and help text, in reading order. */
export function Field({ field: { ids, label, errors }, help, children }: FieldProps) {
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

/** A whole number in a range, as the core's schema wants it (the core still checks). */
export function WholeNumberInput({
  field,
  min,
  max,
}: {
  field: BoundField;
  min: number;
  max: number;
}) {
  return (
    <input
      {...controlProps(field)}
      type="number"
      inputMode="numeric"
      min={min}
      max={max}
      step={1}
    />
  );
}
