import { err, ok, type Result } from '../result.ts';
import { formatTel } from './links/tel.ts';
import { NUMBER_LIMIT } from './links/link.ts';
import { shown } from './text.ts';

/**
 * The `tel:` URI the TEL extension type hands to the system's handler, for a number the
 * switchboard has already put through the dialling rule (phone-number.ts): `+442079460018`,
 * or a local number such as `1002`, `112` or `*31#`.
 *
 * RFC 3966 wants a local number to carry `;phone-context=`. It is left out on purpose:
 * - the handlers people set for tel: links (MicroSIP, Zoiper, Linphone, Teams, the phone
 *   apps of Windows, macOS and Android) read `tel:1002` as "dial 1002" from their own
 *   account, which is what a CRM's dial button means; several pass a parameter on as part
 *   of what they dial, and none is known to need it;
 * - Callbridge has no context to name: a national number with a default country set has
 *   already become a `+` number, so what stays local is an extension or a code that only
 *   the user's own PBX knows, which is where the handler sends it anyway;
 * - Callbridge's own tel: reader (links/tel.ts) takes local numbers without it, for the same
 *   reason, so what is written here reads back as the same number.
 * A global number is `+` and digits only (RFC 3966 global-number-digits); `#` is written
 * `%23`, as RFC 3966 escapes it, since a bare `#` would start the URI's fragment.
 * Pure, and never throws.
 */

const GLOBAL = /^\+[0-9]+$/u;
const LOCAL = /^[0-9*#]+$/u;

const WHAT_IT_DIALS =
  'digits with * and #, or a + followed by digits (a SIP address needs the SIP extension type)';

export function telUriFor(number: string): Result<string, string> {
  const wrong = (why: string) =>
    err(`the TEL extension type dials telephone numbers; ${shown(number)} ${why}`);
  if (number.length > NUMBER_LIMIT) {
    return wrong(`is ${number.length} characters long; the limit is ${NUMBER_LIMIT}`);
  }
  if (!GLOBAL.test(number) && !LOCAL.test(number)) {
    return wrong(`is not one: a number here is ${WHAT_IT_DIALS}`);
  }
  return ok(formatTel({ kind: 'dial', scheme: 'tel', number }));
}
