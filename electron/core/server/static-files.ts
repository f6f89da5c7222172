import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
};

export type StaticFile =
  { status: 200; body: Buffer; type: string } | { status: 403 | 404; body: string };

/**
 * Resolve a URL path inside `root` and read it. Anything that would leave the folder
 * (`..`, encoded or not, backslashes, NUL) is refused before the file system is touched.
 */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return { status: 403, body: 'malformed path' };
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').includes('..')) {
    return { status: 403, body: 'path outside the app' };
  }
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const full = normalize(join(root, relative));
  if (!full.startsWith(normalize(root) + sep)) return { status: 403, body: 'path outside the app' };
  try {
    const body = await readFile(full);
    return { status: 200, body, type: CONTENT_TYPES[extname(full)] ?? 'application/octet-stream' };
  } catch {
    return { status: 404, body: 'not found' };
  }
}
