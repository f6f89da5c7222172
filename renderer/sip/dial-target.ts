import { VISUAL_SEPARATORS } from '../../shared/protocols/phone-number.ts';
import { shown } from '../../shared/protocols/text.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { domainOf } from './sip-uri.ts';

/**
 * What a MakeCall's number becomes on the wire. A CRM writes numbers for people
 * (`+49 (30) 1234-567`); the PBX wants `sip:+49301234567@pbx`. A SIP address (`sip:…`, or
 * anything with an `@`) is already a target and goes as it is. The switchboard has applied
 * the dialling rule (shared/protocols/phone-number.ts) already; this only makes the URI.
 * Pure and never throws.
 */

export interface DialTarget {
  /** For JsSIP's `call()`. */
  readonly target: string;
  /** For the line table and the history: the digits dialled, or the address as given. */
  readonly number: string;
}

export type DialErrorCode = 'empty' | 'bad-character' | 'bad-account-uri';

export interface DialError {
  readonly code: DialErrorCode;
  readonly message: string;
}

const DIALABLE = /^\+?[0-9*#]+$/;

export function dialTarget(number: string, accountUri: string): Result<DialTarget, DialError> {
  const written = number.trim();
  if (written === '') return err({ code: 'empty', message: 'there is no number to dial' });
  if (/^sips?:/i.test(written) || written.includes('@')) {
    return ok({ target: written, number: written.replace(/^sips?:/i, '') });
  }
  const digits = written.replace(VISUAL_SEPARATORS, '');
  if (!DIALABLE.test(digits)) {
    // A '+' counts only in front; `u` keeps an emoji whole in the message.
    const bad = /[^0-9*#+]|(?<=.)\+/u.exec(digits)?.[0];
    return err({
      code: 'bad-character',
      message: `${shown(written)} cannot be dialled: ${bad === undefined ? 'it holds nothing to dial' : `it holds ${shown(bad)}`}`,
    });
  }
  const domain = domainOf(accountUri);
  if (domain === null) {
    return err({
      code: 'bad-account-uri',
      message: `the account's SIP URI has no domain to dial at`,
    });
  }
  // '#' ends a URI's user part unless escaped (RFC 3261 25.1); '*' and '+' may stand as they are.
  return ok({ target: `sip:${digits.replaceAll('#', '%23')}@${domain}`, number: digits });
}
