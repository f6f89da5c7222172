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
  | 'dtmf';

/**
 * The SIP account's fields. The password is write-only: the form starts it empty, sends
 * it only when typed (the core then keeps it in its SecretStore), and an empty field
 * keeps the saved one.
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
  }),
};
