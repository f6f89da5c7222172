import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The built renderer as both targets serve it: the browser target's local server
 * (`local-server.ts`) and the Electron shell's app scheme (`electron/app-protocol.ts`).
 * One path resolver, one content-type map and one Content-Security-Policy, so that the two
 * cannot drift apart. Plain Node: the shell imports this, never the other way round.
 */

export type StaticLookup =
  { readonly ok: true; readonly file: string } | { readonly ok: false; readonly status: 403 | 404 };

/**
 * A segment that decodes to any of these refuses the whole request: a separator smuggled
 * in encoded (`..%2f`, `%5c`), a drive letter (`C%3A`), NUL, and anything starting with a
 * dot, which covers `.` and `..` as well as dotfiles (`.env`).
 */
const UNSAFE_SEGMENT = /[/\\:\0]|^\./;

/**
 * Map a URL path onto a file inside `root`, or refuse: 403 for anything that tries to leave
 * the folder, 404 for a path that cannot name a file (a malformed escape, an empty segment).
 *
 * `urlPath` is taken raw, as it arrives in an HTTP request line (`/../x` is not folded away
 * by anything before it gets here), with or without a query and fragment. The file system
 * is not touched, so this is pure and never throws.
 */
export function resolveStaticFile(root: string, urlPath: string): StaticLookup {
  const end = urlPath.search(/[?#]/);
  const pathname = end === -1 ? urlPath : urlPath.slice(0, end);
  if (!pathname.startsWith('/')) return { ok: false, status: 404 };
  const raw = pathname === '/' ? ['index.html'] : pathname.slice(1).split('/');
  const segments: string[] = [];
  for (const segment of raw) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return { ok: false, status: 404 };
    }
    if (decoded === '') return { ok: false, status: 404 };
    if (UNSAFE_SEGMENT.test(decoded)) return { ok: false, status: 403 };
    segments.push(decoded);
  }
  const base = path.resolve(root);
  const file = path.resolve(base, ...segments);
  const relative = path.relative(base, file);
  if (
    relative === '' ||
    relative === '..' ||
    relative.startsWith(`..${path.sep}`) ||
    path.isAbsolute(relative)
  ) {
    return { ok: false, status: 403 };
  }
  return { ok: true, file };
}

export type StaticFile =
  | { readonly ok: true; readonly body: Buffer; readonly type: string }
  | { readonly ok: false; readonly status: 403 | 404 };

/** Resolve `urlPath` inside `root` and read it; a file that cannot be read is a 404. */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile> {
  const lookup = resolveStaticFile(root, urlPath);
  if (!lookup.ok) return lookup;
  try {
    return { ok: true, body: await readFile(lookup.file), type: contentTypeFor(lookup.file) };
  } catch {
    return { ok: false, status: 404 };
  }
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.webm': 'audio/webm',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The Comms Manager's policy, sent as a header with every response of either target.
 * The targets differ only in where the page may connect: the app scheme talks to the core
 * over IPC (`'self'` alone), the browser target over a WebSocket to its own port
 * (`bridgeSources(port)`).
 */
export function contentSecurityPolicy(connectSources: readonly string[] = []): string {
  const directives: readonly (readonly [string, string])[] = [
    ['default-src', "'none'"],
    ['script-src', "'self'"],
    ['style-src', "'self'"],
    ['img-src', "'self' data:"],
    ['connect-src', ["'self'", ...connectSources].join(' ')],
    ['media-src', "'self' blob: mediastream:"],
    ['font-src', "'self'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['frame-ancestors', "'none'"],
  ];
  return directives.map(([directive, sources]) => `${directive} ${sources}`).join('; ');
}

/** Where the browser target's page opens its bridge WebSocket. */
export function bridgeSources(port: number): string[] {
  return [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`];
}

/** Sent with every response of either target, errors included. */
export function securityHeaders(
  connectSources: readonly string[] = [],
): Readonly<Record<string, string>> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(connectSources),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  };
}
