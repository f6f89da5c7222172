import type { ReactNode } from 'react';
import {
  INTEGRA_MAX_CAP,
  INTEGRA_MAX_INTERNAL_DIGITS,
  INTEGRA_MAX_TIME_LIMIT_SECONDS,
} from '../../../../shared/doors/integra.ts';
import { INTEGRA_EVENTS } from '../../../../shared/protocols/integra.ts';
import { describeDoorStatus } from '../../format.ts';
import { Field, WholeNumberInput, controlProps } from '../Field.tsx';
import type { BoundField } from '../section.ts';
import type { DoorSectionProps } from './registry.ts';
import type { DoorFields } from './models.ts';

/** A yes/no setting: the form keeps 'true' or 'false', like every value it holds. */
function Checkbox({ field, help }: { readonly field: BoundField; readonly help: ReactNode }) {
  const { value, onChange, ...props } = controlProps(field);
  return (
    <Field field={field} help={help}>
      <input
        {...props}
        type="checkbox"
        checked={value === 'true'}
        onChange={(event) => {
          onChange({ target: { value: String(event.target.checked) } });
        }}
      />
    </Field>
  );
}

const COMMAND_HELP = (
  <>
    A program with its arguments, or one http or https address for the default browser. Its values:
    !00 your own number (the SIP user name; empty with other extension types), !01 the other party’s
    number, !02 the event, !03 your direct number that was called (empty), !04 the time as
    day/month/year_hour.minute.second, !05 the call’s id, !06 the original caller, !07 the original
    number called (empty), and Callbridge’s own !08, the ext_ID a voispeed: link gave the call; “!
    01” with a space works too. Values in an address are percent-encoded. Unlike VOIspeed,
    Callbridge never hands this line to a shell: the values come from whoever calls, and a number
    such as $(reboot) or "; rm -rf ~ # would be shell code. Each value stays inside its one
    argument. For pipes, redirection or several commands, point the command at a script that does
    them, such as /home/me/on-call.sh !01 !02 or powershell -File C:\hooks\on-call.ps1 !01 !02.
  </>
);

/** VOIspeed Integra: what runs on which call events, and for which calls. */
export function IntegraSection({ field, status }: DoorSectionProps<DoorFields['integra']>) {
  const command = field('command');
  const internalDigits = field('internalDigits');
  const timeLimit = field('timeLimitSeconds');
  const maxRunning = field('maxRunning');
  return (
    <>
      <Checkbox
        field={field('enabled')}
        help={
          <>
            Run the command below on the call events ticked, for calls from any extension type.
            Every run is listed in the integration log.
            {status && <> Now: {describeDoorStatus(status)}.</>}
          </>
        }
      />
      <Checkbox
        field={field('externalOnly')}
        help="Leave calls between extensions alone: a call whose number is internal, by the rule below, runs nothing."
      />
      <Field
        field={internalDigits}
        help={`A number is internal when it is only digits (spaces, dashes, dots, slashes and brackets aside) and has at most this many, from 1 to ${INTEGRA_MAX_INTERNAL_DIGITS}; with 4, extensions up to 9999. A + number, a longer number, a name, a code such as *97 or no number at all is external.`}
      >
        <WholeNumberInput field={internalDigits} min={1} max={INTEGRA_MAX_INTERNAL_DIGITS} />
      </Field>

      <fieldset className="settings-subsection">
        <legend>Run the command on</legend>
        {INTEGRA_EVENTS.map((event) => (
          <Checkbox key={event.name} field={field(event.name)} help={`When ${event.firesWhen}.`} />
        ))}
      </fieldset>

      <Field field={command} help={COMMAND_HELP}>
        <input
          {...controlProps(command)}
          type="text"
          spellCheck={false}
          autoComplete="off"
          placeholder="/home/me/on-call.sh !01 !02 !04"
        />
      </Field>
      <Field
        field={timeLimit}
        help={`A command still running after this many seconds is killed, with whatever it started, and the log says so; 1 to ${INTEGRA_MAX_TIME_LIMIT_SECONDS}.`}
      >
        <WholeNumberInput field={timeLimit} min={1} max={INTEGRA_MAX_TIME_LIMIT_SECONDS} />
      </Field>
      <Field
        field={maxRunning}
        help={`How many commands may run at the same time, 1 to ${INTEGRA_MAX_CAP}; the others wait their turn. With 1 they run one after another, in the order the events happened. Changing this or the time limit stops the commands still running.`}
      >
        <WholeNumberInput field={maxRunning} min={1} max={INTEGRA_MAX_CAP} />
      </Field>
    </>
  );
}
