/**
 * The little of SIP URIs the engine reads itself; JsSIP parses everything it sends. Pure and
 * never throws, so the account's settings cannot break it.
 */

/** `sip:1001@pbx.example:5060;transport=ws` → `pbx.example:5060`; null when there is none. */
export function domainOf(uri: string): string | null {
  const withoutScheme = uri.trim().replace(/^sips?:/i, '');
  const at = withoutScheme.indexOf('@');
  const hostPart = at === -1 ? withoutScheme : withoutScheme.slice(at + 1);
  const host = hostPart.split(/[;?>]/, 1)[0] ?? '';
  return /^[A-Za-z0-9.\-:[\]]+$/.test(host) ? host : null;
}

/** `<sip:proxy.example;lr>` → `sip:proxy.example`: JsSIP adds the brackets and `;lr` itself. */
export function routeUri(outboundProxy: string): string {
  return outboundProxy
    .trim()
    .replace(/^<|>$/g, '')
    .replace(/;lr(?=;|$)/i, '');
}
