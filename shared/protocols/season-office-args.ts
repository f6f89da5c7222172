import { err, ok, type Result } from '../result.ts';
import {
  parseTelephonyQuery,
  seasonFail,
  seasonKey,
  type SeasonOfficeError,
} from './season-office.ts';
import { percentEncode, shown } from './text.ts';

/**
 * Season Office's TelephonyIntegration command line (`specs/season-office-comms-manager.txt`):
 * `TelephonyIntegration.exe HOST:PORT key=value ...`, read into the query it sends to a
 * listen port. The query itself is checked by `parseTelephonyQuery`. Pure: no I/O, and
 * nothing here throws.
 */

/** The TelephonyIntegration command line, read. `host` is in URL form: `[::1]` keeps its brackets. */
export interface TelephonyTarget {
  readonly host: string;
  readonly port: number;
  /** The query to send, without `?`: the keys and values as given, percent-encoded. */
  readonly query: string;
}

const KEY_LIST = 'NO (N), LINE (L), CALLERID (I) or ACTION (A)';
const ADDRESS_HINT = 'HOST:PORT (e.g. localhost:5555)';
const HOST_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,251}[A-Za-z0-9_])?$/;
const IPV6 = /^\[[0-9A-Fa-f:.]{2,45}\]$/;

function parseAddress(text: string, argument: number): Result<TelephonyTarget, SeasonOfficeError> {
  const part = { value: text, argument };
  const colon = text.lastIndexOf(':');
  if (colon < 0) {
    return seasonFail('bad-address', `${shown(text)} is not ${ADDRESS_HINT}`, part);
  }
  const host = text.slice(0, colon);
  const port = text.slice(colon + 1);
  if (!/^[0-9]{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    const message = `port ${shown(port)} in ${shown(text)} is not a number from 1 to 65535`;
    return seasonFail('bad-address', message, part);
  }
  if ((!HOST_NAME.test(host) || host.includes('..')) && !IPV6.test(host)) {
    const message = `host ${shown(host)} in ${shown(text)} is not a host name, an IPv4 address or an [IPv6] address`;
    return seasonFail('bad-address', message, part);
  }
  // Host names are case-insensitive: the vendor's LOCALHOST is sent as localhost.
  return ok({ host: host.toLowerCase(), port: Number(port), query: '' });
}

/**
 * Reads `TelephonyIntegration.exe HOST:PORT key=value ...` (argv without the program name).
 * Empty arguments are skipped (a template with an empty variable, or the vendor example's
 * double space split naively). Words without `=` right after a CALLERID argument continue
 * that caller ID, because a PBX that substitutes an unquoted name with spaces splits it
 * into several arguments. An unknown key is an error here, unlike on the listen port: a
 * typo on a command line should not be dropped quietly. Everything else is checked by
 * `parseTelephonyQuery` on the built query, so this refuses exactly what the server would.
 *
 * Values are taken literally, not form-decoded: `no=+4930123456` and `callerid=C++` are
 * sent as `%2B`, so both mean a plus on every listen port.
 */
export function parseTelephonyArgs(
  argv: readonly string[],
): Result<TelephonyTarget, SeasonOfficeError> {
  const words = argv.flatMap((text, argument) => (text.trim() === '' ? [] : [{ text, argument }]));
  const first = words[0];
  if (first === undefined) {
    return seasonFail(
      'missing-address',
      `${ADDRESS_HINT} is missing; it must be the first argument`,
    );
  }
  if (first.text.includes('=')) {
    const message = `the first argument must be ${ADDRESS_HINT}, not ${shown(first.text)}`;
    return seasonFail('missing-address', message, { value: first.text, argument: first.argument });
  }
  const address = parseAddress(first.text.trim(), first.argument);
  if (!address.ok) return address;

  const params: { key: string; value: string; argument: number }[] = [];
  let continues = false;
  for (const { text, argument } of words.slice(1)) {
    const eq = text.indexOf('=');
    const last = params[params.length - 1];
    if (eq < 0 && continues && last !== undefined) {
      last.value = `${last.value} ${text}`;
      continue;
    }
    if (eq < 0) {
      const message = `argument ${shown(text)} is not KEY=VALUE (keys: ${KEY_LIST})`;
      return seasonFail('bad-argument', message, { value: text, argument });
    }
    const key = text.slice(0, eq).trim();
    const known = seasonKey(key);
    if (known === null) {
      const message = `unknown key ${shown(key)} in ${shown(text)}; expected ${KEY_LIST}`;
      return seasonFail('unknown-key', message, { key, value: text, argument });
    }
    continues = known === 'callerid';
    params.push({ key, value: text.slice(eq + 1), argument });
  }

  let query = '';
  const starts: number[] = [];
  for (const { key, value, argument } of params) {
    const encoded = [percentEncode(key), percentEncode(value)];
    if (encoded.includes(null)) {
      const message = `argument ${shown(`${key}=${value}`)} is not well-formed Unicode`;
      return seasonFail('bad-encoding', message, { key, value, argument });
    }
    if (query !== '') query += '&';
    starts.push(query.length);
    query += encoded.join('=');
  }
  const checked = parseTelephonyQuery(query);
  if (!checked.ok) {
    const { position, ...error } = checked.error;
    const index = position === undefined ? -1 : starts.indexOf(position);
    const argument = params[index]?.argument;
    return err(argument === undefined ? error : { ...error, argument });
  }
  return ok({ ...address.value, query });
}
