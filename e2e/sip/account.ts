import type { SipRig } from './rig.ts';

/**
 * What a test saves (`saveSettings`) to make the Comms Manager a SIP softphone of `user`
 * on the rig, as the Settings form would: four lines, registration on.
 */
export function sipAccountSettings(
  rig: Pick<SipRig, 'wsUrl' | 'domain'>,
  user: string,
  password: string,
  options: { readonly dtmf?: 'rfc4733' | 'info' } = {},
) {
  return {
    version: 2,
    extension: {
      type: 'sip',
      server: rig.wsUrl,
      username: user,
      password,
      displayName: `User ${user}`,
      authUser: '',
      domain: rig.domain,
      outboundProxy: '',
      register: true,
      registerExpires: 600,
      dtmf: options.dtmf ?? 'rfc4733',
    },
    lines: 4,
  } as const;
}
