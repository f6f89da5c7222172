/** What the links door's tests share: the vendor's autoconfiguration example and its account. */

/** The MD5 hash in VOIspeed's example: a secret, which no log or page may show. */
export const HASH = '8c7bde4622aea226d1cff593b3c26829';

/** The SIP extension the vendor's example sets up, its server on `server`. */
export const alpha39Account = (server: string) => ({
  type: 'sip',
  server,
  username: 'alpha39',
  displayName: '3939',
  authUser: '',
  domain: 'tscomm.it',
  outboundProxy: '',
  register: true,
  registerExpires: 600,
  dtmf: 'rfc4733',
  setUpFromLink: true,
});
