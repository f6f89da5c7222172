import { describeDoorStatus } from '../../format.ts';
import { Field, WholeNumberInput, controlProps } from '../Field.tsx';
import type { DoorSectionProps } from './registry.ts';
import type { DoorFields } from './models.ts';

/** The listen port: its port, and the other computers allowed to post to it. */
export function ListenPortSection({ field, status }: DoorSectionProps<DoorFields['listen-port']>) {
  const port = field('port');
  const allowFrom = field('allowFrom');
  const hostNames = field('hostNames');
  return (
    <>
      <Field
        field={port}
        help={
          <>
            Where your PBX or CRM sends call events, from 1024 to 65535.
            {status && <> Now: {describeDoorStatus(status)}.</>}
          </>
        }
      >
        <WholeNumberInput field={port} min={1024} max={65535} />
      </Field>

      <Field
        field={allowFrom}
        help="IP addresses of PBXs on other computers that may post call events to the listen port, one per line or separated by commas. Leave empty to accept events from this computer only."
      >
        <textarea
          {...controlProps(allowFrom)}
          rows={3}
          spellCheck={false}
          placeholder="192.168.1.20"
        />
      </Field>

      <Field
        field={hostNames}
        help="Names a PBX on another computer uses for this one in its URLs, separated by commas. Requests addressed to any other name are refused."
      >
        <input
          {...controlProps(hostNames)}
          type="text"
          spellCheck={false}
          autoComplete="off"
          placeholder="reception-pc.example.local"
        />
      </Field>
    </>
  );
}
