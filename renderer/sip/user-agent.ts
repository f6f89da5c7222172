import * as JsSIP from 'jssip';
import type { UAConfiguration } from 'jssip/lib/UA';
import type { EngineAccount } from '../../shared/bridge/engine.ts';
import { routeUri } from './sip-uri.ts';

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

/** Seconds between WebSocket reconnects; JsSIP doubles from min to max by itself. */
const RECOVERY_MIN_S = 2;
const RECOVERY_MAX_S = 30;

/**
 * The WebSocket to the PBX, but routed through an outbound proxy: JsSIP's preloaded route
 * is `<sip_uri;lr>` of the socket, so the socket names the proxy instead of itself.
 */
class RoutedWebSocket extends JsSIP.WebSocketInterface {
  readonly #route: string;

  constructor(url: string, route: string) {
    super(url);
    this.#route = route;
  }

  override get sip_uri(): string {
    return this.#route;
  }
}

/** Builds the UA; JsSIP throws on a configuration it refuses, which the caller reports. */
export function createUserAgent(account: EngineAccount): JsSIP.UA {
  const socket =
    account.outboundProxy === null
      ? new JsSIP.WebSocketInterface(account.server)
      : new RoutedWebSocket(account.server, routeUri(account.outboundProxy));
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
