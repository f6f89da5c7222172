import { mkdtempSync, rmSync } from 'node:fs';
import { request as nodeRequest, type IncomingHttpHeaders } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

/**
 * The generic pieces every test of electron/core/ needs, once for the layer: temporary
 * folders, ports on 127.0.0.1, and requests to a listen port. Imported by tests only; a
 * folder's own helpers build on it: server/ (the bridge, and attack.test-support.ts for
 * misbehaving sockets), store/ (a profile per test, history records), backends/.
 */

const made: string[] = [];
// One hook, registered when a test file first imports this module: node:test runs each
// file in a process of its own, so this is the end of that file.
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder under the OS temp folder, removed when the test file ends. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/**
 * Binds `server` to a port the OS picks on `host` and resolves that port. Rejects when the
 * address cannot be bound (no IPv6 loopback, say), so a caller can skip.
 */
export function listenOnFreePort(server: Server, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export interface OccupiedPort {
  readonly port: number;
  /** Stops listening; resolves once the port is free again. */
  release(): Promise<void>;
}

/** A port on 127.0.0.1 that another program holds until `release`. */
export async function occupiedPort(): Promise<OccupiedPort> {
  const server = createServer();
  const port = await listenOnFreePort(server);
  return {
    port,
    release: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on: bound by the OS's choice, then released. */
export async function freePort(): Promise<number> {
  const held = await occupiedPort();
  await held.release();
  return held.port;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface RequestOptions {
  readonly method?: string;
  /** Sent as it is; give its content-type in the headers. */
  readonly body?: string;
  /** The whole exchange, connection to last byte. */
  readonly timeoutMs?: number;
}

/**
 * One request on a connection of its own. node:http rather than fetch: it sends the path
 * and Host exactly as given, and adds no Sec-Fetch-* headers of its own, which the port
 * policy judges. Rejects when nothing is listening, or after `timeoutMs`.
 */
export function httpRequest(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  { method = 'GET', body, timeoutMs = 5_000 }: RequestOptions = {},
): Promise<HttpAnswer> {
  return new Promise<HttpAnswer>((resolve, reject) => {
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    const outgoing = nodeRequest(
      { host: '127.0.0.1', port, path, method, headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          clearTimeout(timer);
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
        response.on('error', fail);
      },
    );
    const timer = setTimeout(() => {
      outgoing.destroy(new Error(`${method} ${path}: nothing after ${timeoutMs} ms`));
    }, timeoutMs);
    outgoing.on('error', fail);
    outgoing.end(body);
  });
}

/** GET /telephony?`query` on a listen port, as a PBX or the CLI sends it. */
export const telephony = (
  port: number,
  query: string,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> => httpRequest(port, `/telephony?${query}`, headers);
