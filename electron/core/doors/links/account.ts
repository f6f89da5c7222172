import type { Link } from '../../../../shared/protocols/links/index.ts';
import { parseSipServer, type SipServer } from '../../../../shared/protocols/sip-server.ts';
import { err, ok, type Result } from '../../../../shared/result.ts';

/**
 * What a VOIspeed autoconfiguration link (`voispeed:U{user}@{domain},{md5},{internal},{url1}
 * [,{url2}]`) becomes in the SIP account. Choices the vendor document leaves open:
 *
 * - The password is the MD5 hash exactly as the link gives it: the document says the PBX
 *   expects it so ("the password must be encrypted with the MD5 algorithm"), so the hash
 *   is the SIP password the digest is computed from. It goes to the secret store like a
 *   typed password, and Settings says the account came from a link.
 * - url1 is where VOIspeed's own client sends SIP (`192.168.0.220:5063` in the document:
 *   5063 is a SIP port, not a WebSocket one). The softphone here reaches a PBX only over a
 *   WebSocket, so a `host:port` keeps its host and drops its port, and the server becomes
 *   `wss://host:8089/ws` by the rule of shared/protocols/sip-server.ts for a bare host. A
 *   `ws://`/`wss://` URL in the link is used as written. url2 (a second PBX) is not used:
 *   the account has one server; the question and the log name it.
 * - The internal number: the document lists it with the login credentials but the account
 *   is named by its user ("configures the alpha39 user UI account"), so registration and
 *   authentication use the user name, and the internal number becomes the display name,
 *   where it is seen and cannot break registration. A PBX that authenticates by extension
 *   needs it typed into "Authentication user".
 */

export type Autoconfigure = Extract<Link, { kind: 'autoconfigure' }>;

export interface LinkAccount {
  readonly user: string;
  readonly domain: string;
  readonly internal: string;
  /** The hash the link carries: the SIP password. Never logged or shown. */
  readonly password: string;
  readonly server: SipServer;
  /** url1 as the link wrote it, for the question. */
  readonly named: string;
  /** url2, which is not used. */
  readonly unused: string | null;
}

const WS_URL = /^wss?:\/\//iu;
/** `host:port`, `[v6]:port`, or either without the port; the parser checked the parts. */
const HOST_AND_PORT = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/u;

export function accountFromLink(link: Autoconfigure): Result<LinkAccount, string> {
  const [named, unused = null] = link.servers;
  const host = WS_URL.test(named) ? named : (HOST_AND_PORT.exec(named)?.[1] ?? named);
  const server = parseSipServer(host);
  if (!server.ok)
    return err(`voispeed: autoconfiguration server ${named}: ${server.error.message}`);
  return ok({
    user: link.user,
    domain: link.domain,
    internal: link.internal,
    password: link.passwordMd5,
    server: server.value,
    named,
    unused,
  });
}

/** The extension part of a settings save, as the Settings form would send it. */
export function sipExtensionFrom(account: LinkAccount): Record<string, unknown> {
  return {
    type: 'sip',
    server: account.server.url,
    username: account.user,
    // Taken out into the secret store by the settings service, like a typed password.
    password: account.password,
    displayName: account.internal,
    authUser: '',
    domain: account.domain,
    outboundProxy: '',
    register: true,
    registerExpires: 600,
    dtmf: 'rfc4733',
    setUpFromLink: true,
  };
}

/** The account in words, for the question and the log: never the password. */
export function describeAccount(account: LinkAccount): string {
  const port = WS_URL.test(account.named)
    ? ''
    : ` (the link names ${account.named}, where VOIspeed's own client sends SIP; the softphone uses the PBX's WebSocket)`;
  const second = account.unused === null ? '' : ` The second server ${account.unused} is not used.`;
  return `user ${account.user}, domain ${account.domain}, server ${account.server.url}${port}, internal number ${account.internal} as the display name, and the password the link carries.${second}`;
}
