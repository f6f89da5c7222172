import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { LogWriter } from '../integration-log.ts';
import type { Refusal } from './guarded-http.ts';

/**
 * How our HTTP ports say no: a status, a one-line reason as the body, headers that keep a
 * browser from doing anything with it, and a connection that is closed once the answer is
 * out, so that a refused client cannot hold a slot.
 */

const PLAIN_TEXT = {
  'content-type': 'text/plain; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function refusalHeaders(
  status: number,
  body: string,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    // Lower-cased, so that ours replace theirs rather than go out twice.
    ...Object.fromEntries(
      Object.entries(extra).map(([name, value]) => [name.toLowerCase(), value]),
    ),
    ...PLAIN_TEXT,
    // Overload and the click limit pass: a PBX or person may try again.
    ...(status === 503 || status === 429 ? { 'retry-after': '1' } : {}),
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  };
}

/** For a socket that has no ServerResponse: before Node could parse a request, or after. */
export function rawResponse(
  status: number,
  headers: Readonly<Record<string, string>>,
  body: string,
): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${lines.join('')}\r\n${body}`;
}

/**
 * As ws does for its own refusals: close once the answer is out even if the peer keeps its
 * half open, and after `ms` even if the peer never reads it.
 */
export function destroyAfterFlush(socket: Duplex, ms: number): void {
  const destroy = () => {
    socket.destroy();
  };
  const timer = setTimeout(destroy, ms);
  timer.unref();
  socket.once('finish', destroy);
  socket.once('close', () => {
    clearTimeout(timer);
  });
}

/** What to answer a request Node could not parse, from its parser error. */
export function readParseError(
  error: NodeJS.ErrnoException & { rawPacket?: unknown },
  maxHeaderBytes: number,
): { status: number; reason: string } {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, reason: `request line and headers exceed ${maxHeaderBytes} bytes` };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, reason: 'the request was not completed in time' };
    case 'HPE_PAUSED_H2_UPGRADE':
      return { status: 505, reason: 'HTTP/2 is not supported; send HTTP/1.1' };
    case 'HPE_INVALID_VERSION': {
      // Also the code for a bare LF after the version: only a version token is a 505.
      const line = Buffer.isBuffer(error.rawPacket) ? error.rawPacket.toString('latin1') : '';
      const version = /^[!-~]+ [!-~]+ HTTP\/(\d+\.\d+)\r\n/.exec(line)?.[1];
      if (version !== undefined && version !== '1.0' && version !== '1.1') {
        return { status: 505, reason: `HTTP/${version} is not supported; send HTTP/1.1` };
      }
      break;
    }
  }
  return { status: 400, reason: `malformed HTTP request (${error.code ?? error.message})` };
}

/** A refusal as the integration log lists it: the request, the reason, what was done. */
export function logRefusal(log: LogWriter, refusal: Refusal): void {
  log.add({
    direction: 'in',
    session: null,
    from: refusal.from,
    raw: refusal.raw,
    reading: '',
    error: refusal.reason,
    outcome: refusal.status === 0 ? 'connection closed' : `refused with ${refusal.status}`,
  });
}
