import path from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-origin.ts';

/**
 * How a `callbridge-app://comms-manager/…` URL maps onto the built renderer folder. Pure,
 * so the refusals (traversal, unknown hosts) are unit-tested without Electron.
 */

export type AppFileLookup =
  { readonly ok: true; readonly file: string } | { readonly ok: false; readonly status: 403 | 404 };

/**
 * Chromium already folds `..` and `%2e%2e` out of standard-scheme URLs; what is left to
 * catch is an encoded separator (`..%2f`), a backslash or drive letter on Windows, and
 * NUL. A segment that decodes to any of these refuses the whole request.
 */
const UNSAFE_SEGMENT = /[/\\:\0]|^\./;

export function resolveAppFile(root: string, url: string): AppFileLookup {
  if (!URL.canParse(url)) return { ok: false, status: 404 };
  const parsed = new URL(url);
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host.toLowerCase() !== APP_HOST) {
    return { ok: false, status: 403 };
  }
  const raw = parsed.pathname === '/' ? ['index.html'] : parsed.pathname.slice(1).split('/');
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
  const file = path.resolve(root, ...segments);
  const relative = path.relative(path.resolve(root), file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    return { ok: false, status: 403 };
  }
  return { ok: true, file };
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

const CSP_DIRECTIVES: Readonly<Record<string, string>> = {
  'default-src': "'none'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'connect-src': "'self'",
  'media-src': "'self' blob: mediastream:",
  'font-src': "'self'",
  'base-uri': "'none'",
  'form-action': "'none'",
  'frame-ancestors': "'none'",
};

export const APP_CSP = Object.entries(CSP_DIRECTIVES)
  .map(([directive, sources]) => `${directive} ${sources}`)
  .join('; ');

/** Sent with every response of the app scheme, errors included. */
export const APP_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': APP_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-cache',
};
