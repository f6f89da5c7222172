import { describeDoorStatus } from '../../format.ts';
import { Field, controlProps } from '../Field.tsx';
import type { DoorSectionProps } from './registry.ts';
import type { DoorFields } from './models.ts';

/** Click-to-dial links: dial at once (as MicroSIP does) or ask first, naming the number. */
export function LinksSection({ field, status }: DoorSectionProps<DoorFields['links']>) {
  const ask = field('askBeforeDialing');
  return (
    <Field
      field={ask}
      help={
        <>
          Off: a tel:, callto:, sip: or voispeed: link dials at once. On: the Comms Manager asks
          first, naming the number. Links that end or forward a call, or set up the SIP account,
          always ask.
          {status && <> Now: {describeDoorStatus(status)}.</>}
        </>
      }
    >
      <input
        {...controlProps(ask)}
        type="checkbox"
        value="true"
        checked={ask.value === 'true'}
        onChange={(event) => {
          ask.onChange({ target: { value: event.target.checked ? 'true' : 'false' } });
        }}
      />
    </Field>
  );
}
