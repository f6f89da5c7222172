import { createHash, randomBytes } from 'node:crypto';

/**
 * SIP messages as text: parsing what arrives (compact header names, comma-separated
 * values) and answering a digest challenge. No connection; ws-sip-client.ts and
 * page-wire.ts read frames with it.
 */

export interface SipMessage {
  readonly raw: string;
  readonly startLine: string;
  /** 200 for `SIP/2.0 200 OK`; undefined for a request. */
  readonly status: number | undefined;
  /** INVITE for a request; undefined for a response. */
  readonly method: string | undefined;
  readonly body: string;
  /** The first value of a header (case-insensitive name). */
  header(name: string): string | undefined;
  /** Every value of a header, comma-separated values split, in order. */
  all(name: string): string[];
}

const COMPACT: Readonly<Record<string, string>> = {
  v: 'via',
  f: 'from',
  t: 'to',
  i: 'call-id',
  m: 'contact',
  l: 'content-length',
  c: 'content-type',
};

/** Splits `a, <b;x=1,2>, c` at the commas outside <> and quotes. */
function splitList(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let index = 0; index < value.length; index += 1) {
    const char = value[index];
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === '<') depth += 1;
    else if (!quoted && char === '>') depth -= 1;
    else if (!quoted && depth === 0 && char === ',') {
      parts.push(value.slice(start, index).trim());
      start = index + 1;
    }
  }
  parts.push(value.slice(start).trim());
  return parts.filter((part) => part !== '');
}

export function parseSip(raw: string): SipMessage {
  const split = raw.indexOf('\r\n\r\n');
  const head = split === -1 ? raw : raw.slice(0, split);
  const body = split === -1 ? '' : raw.slice(split + 4);
  const [startLine = '', ...lines] = head.split('\r\n');
  const headers: [string, string][] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.push([COMPACT[name] ?? name, line.slice(colon + 1).trim()]);
  }
  const response = /^SIP\/2\.0 (\d{3}) /.exec(startLine);
  const values = (name: string) =>
    headers.filter(([key]) => key === name.toLowerCase()).map(([, value]) => value);
  return {
    raw,
    startLine,
    status: response ? Number(response[1]) : undefined,
    method: response ? undefined : startLine.split(' ')[0],
    body,
    header: (name) => values(name)[0],
    all: (name) => values(name).flatMap(splitList),
  };
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** The Authorization (or Proxy-Authorization) value answering a digest challenge. */
export function digestAnswer(
  challenge: string,
  credentials: { readonly user: string; readonly password: string },
  method: string,
  uri: string,
): string {
  const params = new Map<string, string>();
  for (const match of challenge.matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]+))/g)) {
    params.set((match[1] ?? '').toLowerCase(), match[2] ?? match[3] ?? '');
  }
  const realm = params.get('realm') ?? '';
  const nonce = params.get('nonce') ?? '';
  const ha1 = md5(`${credentials.user}:${realm}:${credentials.password}`);
  const ha2 = md5(`${method}:${uri}`);
  const fields = [`username="${credentials.user}"`, `realm="${realm}"`, `nonce="${nonce}"`];
  fields.push(`uri="${uri}"`);
  if (params.get('qop')?.split(',').includes('auth')) {
    const cnonce = randomBytes(8).toString('hex');
    const nc = '00000001';
    fields.push(`response="${md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`)}"`);
    fields.push(`qop=auth`, `nc=${nc}`, `cnonce="${cnonce}"`);
  } else {
    fields.push(`response="${md5(`${ha1}:${nonce}:${ha2}`)}"`);
  }
  const opaque = params.get('opaque');
  if (opaque !== undefined) fields.push(`opaque="${opaque}"`);
  fields.push('algorithm=MD5');
  return `Digest ${fields.join(', ')}`;
}
