import { shownText } from './shown-text.ts';

/** Who is calling, as the line table will show it: what comes off the wire, made safe. */

/** The longest party CallEventSchema takes. */
export const MAX_PARTY_LENGTH = 128;

export interface Party {
  readonly number: string;
  readonly callerId: string;
}

/**
 * From a From (or To) header: the URI's user part is the number (`sip:1001@pbx` → `1001`);
 * a URI without one (`sip:pbx.example`) is shown by its host. The display name is the caller ID.
 */
export function partyOf(
  user: string | null | undefined,
  host: string,
  displayName: unknown,
): Party {
  const number = user !== null && user !== undefined && user !== '' ? user : host;
  const name = typeof displayName === 'string' ? displayName.trim() : '';
  return {
    number: shownText(number, MAX_PARTY_LENGTH),
    callerId: shownText(name, MAX_PARTY_LENGTH),
  };
}

/** `1001 "Alice"` for log lines: the number, and the name when there is one. */
export function describeParty({ number, callerId }: Party): string {
  return callerId === '' ? number : `${number} "${callerId}"`;
}
