/**
 * The Replaces header (RFC 3891) an attended transfer puts into its Refer-To URI, so that
 * the transferee's INVITE takes the place of our call with the target. Pure.
 *
 * The target matches the header "as if the tags were in an incoming request" (RFC 3891,
 * section 3): to-tag against its own tag, from-tag against ours. So to-tag is always the
 * far end's tag and from-tag ours, whoever called whom. JsSIP's `refer(…, { replaces })`
 * writes its session's To and From tags instead, which is right for a call we placed and
 * the wrong way round for a call that came in (JsSIP issue 817): a PBX then finds no
 * dialog and the transfer fails with 481.
 */

/** A call's dialog as this end knows it (RFC 3261 section 12). */
export interface DialogId {
  readonly callId: string;
  /** Our tag: the From tag of a call we placed, the To tag of one we answered. */
  readonly localTag: string;
  /** The far end's tag. */
  readonly remoteTag: string;
}

/** `callid;to-tag=REMOTE;from-tag=LOCAL`, the header's value. */
export function replacesValue(dialog: DialogId): string {
  return `${dialog.callId};to-tag=${dialog.remoteTag};from-tag=${dialog.localTag}`;
}

/**
 * The value as a URI header parameter (`?Replaces=…`): percent-encoded whole, as JsSIP
 * and every phone write it, so its `;` and `=` and a Call-ID's `@` stay inside.
 */
export function replacesUriHeader(dialog: DialogId): string {
  return encodeURIComponent(replacesValue(dialog));
}
