import * as JsSIP from 'jssip';
import type { UAConfiguration } from 'jssip/lib/UA';
import type { EngineAccount } from '../../shared/bridge/engine.ts';
import { routeUri } from './sip-uri.ts';
import { unreadableStartLine } from './wire-check.ts';

/**
 * The JsSIP user agent for an account. The password never reaches the page: the core
 * sends the digest HA1 for the realm the registrar named, which is all JsSIP needs.
 */

/**
 * One per page, so that every user agent this page builds registers as the same instance
 * (RFC 5626 `+sip.instance`): a registrar then replaces the page's old contact rather
 * than keeping both and forking calls to a dead one.
 */
const INSTANCE_ID = crypto.randomUUID();

/**
 * Seconds between WebSocket reconnects; JsSIP waits a random time between min and 2^n s,
 * capped at max. A 5 s cap puts a phone back on the PBX within ~5 s of its return (issue
 * 7's target; the bench measured up to 29.9 s with JsSIP's default of 30), for at most
 * one connection attempt per user agent every 1–5 s while the PBX is down.
 */
const RECOVERY_MIN_S = 1;
const RECOVERY_MAX_S = 5;

/** Told the start line of each message from the PBX that JsSIP could not read. */
export type OnUnreadable = (startLine: string) => void;

/**
 * The WebSocket to the PBX. Routed through an outbound proxy when there is one: JsSIP's
 * preloaded route is `<sip_uri;lr>` of the socket, so the socket names the proxy instead
 * of itself. Every message it delivers is also checked with JsSIP's parser, so that one
 * JsSIP drops unread is told to `onUnreadable` rather than lost without a trace.
 */
class EngineWebSocket extends JsSIP.WebSocketInterface {
  readonly #route: string | null;
  readonly #onUnreadable: OnUnreadable;
  #watching: ((data: unknown) => void) | null = null;

  constructor(url: string, route: string | null, onUnreadable: OnUnreadable) {
    super(url);
    this.#route = route;
    this.#onUnreadable = onUnreadable;
  }

  override get sip_uri(): string {
    return this.#route ?? super.sip_uri;
  }

  /** JsSIP's transport sets `ondata` afresh just before each connect(): watch that one. */
  override connect(): void {
    if (this.ondata !== this.#watching) {
      const deliver = this.ondata.bind(this);
      const watching = (data: unknown): void => {
        try {
          deliver(data);
        } finally {
          // JsSIP throws on some messages it cannot read: those are told too.
          this.#check(data);
        }
      };
      this.#watching = watching;
      this.ondata = watching;
    }
    super.connect();
  }

  #check(data: unknown): void {
    const text =
      typeof data === 'string'
        ? data
        : data instanceof ArrayBuffer
          ? new TextDecoder().decode(data)
          : null;
    const startLine = text === null ? null : unreadableStartLine(text);
    if (startLine !== null) this.#onUnreadable(startLine);
  }
}

/** Builds the UA; JsSIP throws on a configuration it refuses, which the caller reports. */
export function createUserAgent(account: EngineAccount, onUnreadable: OnUnreadable): JsSIP.UA {
  const route = account.outboundProxy === null ? null : routeUri(account.outboundProxy);
  const socket = new EngineWebSocket(account.server, route, onUnreadable);
  const configuration: UAConfiguration = {
    sockets: [socket],
    uri: account.uri,
    authorization_user: account.authorizationUser,
    display_name: account.displayName,
    register: account.register,
    register_expires: account.expires,
    session_timers: false,
    use_preloaded_route: account.outboundProxy !== null,
    connection_recovery_min_interval: RECOVERY_MIN_S,
    connection_recovery_max_interval: RECOVERY_MAX_S,
    instance_id: INSTANCE_ID,
    user_agent: `Callbridge (JsSIP ${JsSIP.version})`,
  };
  // Without both, JsSIP passes a challenge through as a failure, which names its realm.
  if (account.ha1 !== null && account.realm !== null) {
    configuration.ha1 = account.ha1;
    configuration.realm = account.realm;
  }
  return new JsSIP.UA(configuration);
}

/** Fields that a running UA takes without being rebuilt (and without dropping its calls). */
export function updateCredentials(ua: JsSIP.UA, account: EngineAccount): void {
  ua.set('authorization_user', account.authorizationUser);
  ua.set('display_name', account.displayName);
  if (account.ha1 !== null && account.realm !== null) {
    ua.set('realm', account.realm);
    ua.set('ha1', account.ha1);
  }
}

/** Whether going from `before` to `after` needs a new UA, or `updateCredentials` will do. */
export function needsNewUserAgent(before: EngineAccount, after: EngineAccount): boolean {
  return (
    before.server !== after.server ||
    before.uri !== after.uri ||
    before.expires !== after.expires ||
    before.outboundProxy !== after.outboundProxy ||
    // JsSIP cannot forget an HA1 once set; a cleared one needs a fresh UA.
    (after.ha1 === null && before.ha1 !== null)
  );
}
