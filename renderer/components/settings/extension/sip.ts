import type { SipExtension } from '../../../../shared/model/settings.ts';
import { numberOrText } from '../section.ts';
import type { ExtensionModel } from './extension-model.ts';

type SipField =
  | 'server'
  | 'username'
  | 'password'
  | 'displayName'
  | 'authUser'
  | 'domain'
  | 'outboundProxy'
  | 'register'
  | 'registerExpires'
  | 'dtmf'
  | 'setUpFromLink';

/**
 * The SIP account's fields. The password is write-only: the form starts it empty, sends
 * it only when typed (the core then keeps it in its SecretStore), and an empty field
 * keeps the saved one. `setUpFromLink` is no field a person edits: it is kept while the
 * password is the one the voispeed: link carried, and dropped once another is typed.
 */
export const sipModel: ExtensionModel<'sip', SipField> = {
  fields: {
    server: { label: 'Server address' },
    username: { label: 'Username' },
    password: { label: 'Password' },
    displayName: { label: 'Display name' },
    authUser: { label: 'Authentication user' },
    domain: { label: 'Domain' },
    outboundProxy: { label: 'Outbound proxy' },
    register: { label: 'Register' },
    registerExpires: { label: 'Registration expiry' },
    dtmf: { label: 'Keypad tones' },
    setUpFromLink: { label: 'Set up from a link' },
  },
  toValues: (saved: SipExtension) => ({
    server: saved.server,
    username: saved.username,
    password: '',
    displayName: saved.displayName,
    authUser: saved.authUser,
    domain: saved.domain,
    outboundProxy: saved.outboundProxy,
    register: String(saved.register),
    registerExpires: String(saved.registerExpires),
    dtmf: saved.dtmf,
    setUpFromLink: saved.setUpFromLink === true ? 'true' : '',
  }),
  initialValues: () => ({
    server: '',
    username: '',
    password: '',
    displayName: '',
    authUser: '',
    domain: '',
    outboundProxy: '',
    register: 'true',
    registerExpires: '600',
    dtmf: 'rfc4733',
    setUpFromLink: '',
  }),
  toRequest: (values) => ({
    server: values.server,
    username: values.username,
    ...(values.password === '' ? {} : { password: values.password }),
    displayName: values.displayName,
    authUser: values.authUser,
    domain: values.domain,
    outboundProxy: values.outboundProxy,
    register: values.register === 'true',
    registerExpires: numberOrText(values.registerExpires),
    dtmf: values.dtmf,
    ...(values.setUpFromLink === 'true' && values.password === '' ? { setUpFromLink: true } : {}),
  }),
};
