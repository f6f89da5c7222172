import { SIP_PASSWORD_SECRET } from '../../../../shared/model/settings.ts';
import { useApp } from '../../../store/app-store.ts';
import { selectSecretSet } from '../../../store/settings-slice.ts';
import { Field, WholeNumberInput, controlProps } from '../Field.tsx';
import type { SectionProps } from '../section.ts';
import type { ExtensionFields } from './models.ts';

/** The softphone's account, as MicroSIP and Zoiper ask for it. */
export function SipSection({ field }: SectionProps<ExtensionFields['sip']>) {
  const passwordSet = useApp(selectSecretSet(SIP_PASSWORD_SECRET));
  const server = field('server');
  const username = field('username');
  const password = field('password');
  const displayName = field('displayName');
  const authUser = field('authUser');
  const domain = field('domain');
  const outboundProxy = field('outboundProxy');
  const register = field('register');
  const expires = field('registerExpires');
  const dtmf = field('dtmf');
  const text = { type: 'text', spellCheck: false, autoComplete: 'off' } as const;
  return (
    <>
      {field('setUpFromLink').value === 'true' && (
        <p className="field-note" data-set-up-from-link>
          This account was set up from a voispeed: link. Its password is the MD5 hash the link
          carried, which the VOIspeed PBX expects; typing a new password replaces it.
        </p>
      )}
      <Field
        field={server}
        help="Your PBX's WebSocket address, e.g. wss://pbx.example.com:8089/ws. A host or host:port is read as wss://host:port/ws (port 8089, as Asterisk and FreePBX use)."
      >
        <input {...controlProps(server)} {...text} placeholder="wss://pbx.example.com:8089/ws" />
      </Field>
      <Field field={username} help="Your extension or SIP user name.">
        <input {...controlProps(username)} {...text} placeholder="1001" />
      </Field>
      <Field
        field={password}
        help={
          passwordSet
            ? 'A password is saved. Leave this empty to keep it, or type a new one.'
            : 'No password is saved yet.'
        }
      >
        <input
          {...controlProps(password)}
          type="password"
          autoComplete="new-password"
          placeholder={passwordSet ? '•••••••• (saved)' : ''}
        />
      </Field>
      <Field field={displayName} help="The name others see when you call. Optional.">
        <input {...controlProps(displayName)} {...text} />
      </Field>
      <Field
        field={authUser}
        help="Only if your PBX asks for a different user name to authenticate. Optional."
      >
        <input {...controlProps(authUser)} {...text} />
      </Field>
      <Field field={domain} help="The SIP domain. Optional: the server's host when empty.">
        <input {...controlProps(domain)} {...text} placeholder="pbx.example.com" />
      </Field>
      <Field field={outboundProxy} help="A SIP URI such as sip:proxy.example.com;lr. Optional.">
        <input {...controlProps(outboundProxy)} {...text} />
      </Field>
      <Field field={register} help="Register with the PBX so that calls to you ring here.">
        <select {...controlProps(register)}>
          <option value="true">On</option>
          <option value="false">Off</option>
        </select>
      </Field>
      <Field field={expires} help="How long each registration lasts, in seconds (60 to 86400).">
        <WholeNumberInput field={expires} min={60} max={86_400} />
      </Field>
      <Field field={dtmf} help="How keypad digits reach the PBX. RFC 4733 suits almost every PBX.">
        <select {...controlProps(dtmf)}>
          <option value="rfc4733">RFC 4733 (in the audio stream)</option>
          <option value="info">SIP INFO</option>
        </select>
      </Field>
    </>
  );
}
