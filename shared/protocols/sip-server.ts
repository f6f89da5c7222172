import { err, ok, type Result } from '../result.ts';
import { findControl, findInvisible } from './text.ts';

/**
 * What a person types as the SIP softphone's "Server address", turned into the WebSocket
 * URL JsSIP connects to. The rule, as Asterisk and FreePBX set up WebRTC by default:
 *
 * - `wss://host[:port]/path` or `ws://host[:port]/path`: used as written (the path too:
 *   Asterisk serves `/ws`, Kamailio whatever its config says, FreeSWITCH `/`).
 * - `host` or `host:port` (a name, an IPv4 address or a bracketed IPv6 address):
 *   `wss://host:port/ws`, port 8089 when none is given (Asterisk's and FreePBX's WSS port).
 *   Plain `ws://` is never guessed: a password travels over it, so it must be asked for.
 * - `sip:`/`sips:` URIs, `http(s)://` and anything else are refused with the reason: a
 *   softphone in a browser engine can only reach a PBX over a WebSocket.
 */

export const DEFAULT_WSS_PORT = 8089;
export const SIP_SERVER_LIMIT = 512;

export type SipServerErrorCode =
  | 'empty'
  | 'too-long'
  | 'invisible-character'
  | 'not-websocket'
  | 'bad-host'
  | 'bad-port'
  | 'bad-url';

export interface SipServerError {
  readonly code: SipServerErrorCode;
  readonly message: string;
}

export interface SipServer {
  /** The URL JsSIP connects to. */
  readonly url: string;
  /** The host, for the default SIP domain; IPv6 without brackets. */
  readonly host: string;
  /** The origin the Electron CSP's connect-src admits. */
  readonly origin: string;
}

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-f:.]+$/i;
const HOST_PORT = /^(\[[^\]]*\]|[^:[\]]*)(?::(\d*))?$/;

const fail = (code: SipServerErrorCode, message: string) => err<SipServerError>({ code, message });

function checkHost(host: string): Result<string, SipServerError> {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (
    host.startsWith('[')
      ? IPV6.test(bare) && bare.includes(':')
      : HOST_NAME.test(bare) || IPV4.test(bare)
  ) {
    return ok(bare);
  }
  return fail('bad-host', `"${host.slice(0, 80)}" is not a host name or IP address`);
}

function checkPort(port: string): Result<number, SipServerError> {
  const value = Number(port);
  if (!/^\d{1,5}$/.test(port) || value < 1 || value > 65535) {
    return fail('bad-port', `port "${port.slice(0, 10)}" must be a number from 1 to 65535`);
  }
  return ok(value);
}

/** Never throws: a Result whose error says what part was wrong. */
export function parseSipServer(text: string): Result<SipServer, SipServerError> {
  const value = text.trim();
  if (value === '')
    return fail('empty', 'is needed: the address of your PBX, e.g. wss://pbx.example.com:8089/ws');
  if (value.length > SIP_SERVER_LIMIT) {
    return fail('too-long', `is ${value.length} characters long; the limit is ${SIP_SERVER_LIMIT}`);
  }
  const hidden = findControl(value) ?? findInvisible(value);
  if (hidden) {
    return fail(
      'invisible-character',
      `holds an invisible or control character at index ${hidden.index}`,
    );
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
  if (scheme === 'ws' || scheme === 'wss') return parseUrl(value);
  if (scheme !== undefined && !/^\d+$/.test(value.slice(scheme.length + 1).split('/')[0] ?? '')) {
    return fail(
      'not-websocket',
      `"${scheme}:" cannot be used: the softphone reaches the PBX over a WebSocket (wss://pbx.example.com:8089/ws)`,
    );
  }
  const match = HOST_PORT.exec(value);
  if (!match) return fail('bad-host', `"${value.slice(0, 80)}" is not host or host:port`);
  const host = checkHost(match[1] ?? '');
  if (!host.ok) return host;
  const port = match[2] === undefined ? ok(DEFAULT_WSS_PORT) : checkPort(match[2]);
  if (!port.ok) return port;
  const shownHost = host.value.includes(':') ? `[${host.value}]` : host.value.toLowerCase();
  const origin = `wss://${shownHost}${port.value === 443 ? '' : `:${port.value}`}`;
  return ok({ url: `${origin}/ws`, host: host.value.toLowerCase(), origin });
}

// shared/ has no URL class (no DOM, no Node): the WebSocket URL's parts are read here.
const WS_URL = /^(wss?):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/i;
const PATH = /^(\/[A-Za-z0-9\-._~!$&'()*+,;=:@%]*)*$/;

function parseUrl(value: string): Result<SipServer, SipServerError> {
  const match = WS_URL.exec(value);
  if (!match) return fail('bad-url', `"${value.slice(0, 80)}" is not a valid URL`);
  const [, scheme = '', authority = '', path = '', query = '', fragment] = match;
  if (authority.includes('@')) {
    return fail(
      'bad-url',
      'must not carry a user name or password; enter them in their own fields',
    );
  }
  if (fragment !== undefined) return fail('bad-url', 'must not have a #fragment');
  if (!PATH.test(path) || /\s/.test(query)) {
    return fail('bad-url', `the path "${path.slice(0, 80)}" is not valid in a URL`);
  }
  const parts = HOST_PORT.exec(authority);
  if (!parts) return fail('bad-host', `"${authority.slice(0, 80)}" is not host or host:port`);
  const host = checkHost(parts[1] ?? '');
  if (!host.ok) return host;
  const lower = scheme.toLowerCase();
  const defaultPort = lower === 'wss' ? 443 : 80;
  const port = parts[2] === undefined || parts[2] === '' ? ok(defaultPort) : checkPort(parts[2]);
  if (!port.ok) return port;
  const shownHost = host.value.includes(':') ? `[${host.value}]` : host.value.toLowerCase();
  const origin = `${lower}://${shownHost}${port.value === defaultPort ? '' : `:${port.value}`}`;
  return ok({
    url: `${origin}${path === '' ? '/' : path}${query}`,
    host: host.value.toLowerCase(),
    origin,
  });
}

export function formatSipServerError(error: SipServerError): string {
  return error.message;
}
