import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  bridgeSources,
  contentSecurityPolicy,
  contentTypeFor,
  readStaticFile,
  resolveStaticFile,
  securityHeaders,
} from './static-files.ts';
import { tempDir } from '../core.test-support.ts';

const root = path.resolve('/srv/callbridge/dist/renderer');
const at = (...segments: string[]) => ({ ok: true, file: path.join(root, ...segments) });
const refused = { ok: false, status: 403 };
const missing = { ok: false, status: 404 };

describe('resolveStaticFile', () => {
  it('serves index.html for the root and files below it, query and fragment dropped', () => {
    assert.deepEqual(resolveStaticFile(root, '/'), at('index.html'));
    assert.deepEqual(resolveStaticFile(root, '/?token=x'), at('index.html'));
    assert.deepEqual(
      resolveStaticFile(root, '/assets/index-abc.js?v=1#x'),
      at('assets', 'index-abc.js'),
    );
    assert.deepEqual(
      resolveStaticFile(root, '/assets/ring%20tone.wav'),
      at('assets', 'ring tone.wav'),
    );
    assert.deepEqual(resolveStaticFile(root, '/caf%C3%A9.svg'), at('café.svg'));
  });

  it('refuses raw and encoded dot segments, which nothing has folded away yet', () => {
    for (const urlPath of [
      '/..',
      '/../package.json',
      '/assets/../../package.json',
      '/./index.html',
      '/%2e%2e/package.json',
      '/%2E%2E/%2e%2e/etc/passwd',
      '/assets/%2e%2e',
      '/.env',
      '/assets/.git',
    ]) {
      assert.deepEqual(resolveStaticFile(root, urlPath), refused, urlPath);
    }
  });

  it('refuses encoded separators, backslashes, drive letters and NUL', () => {
    for (const urlPath of [
      '/..%2f..%2fetc/passwd',
      '/assets/..%2F..%2F..%2Fpackage.json',
      '/%2e%2e%2f%2e%2e%2fpackage.json',
      '/..%5c..%5cpackage.json',
      '/..\\..\\package.json',
      '/assets\\index.js',
      '/C%3A%5CWindows%5Cwin.ini',
      '/C:/Windows/win.ini',
      '/index.html%00.png',
      '/index.html\0.png',
      '/%2fetc%2fpasswd',
    ]) {
      assert.deepEqual(resolveStaticFile(root, urlPath), refused, urlPath);
    }
  });

  it('answers 404 for what cannot name a file', () => {
    for (const urlPath of [
      '',
      'index.html',
      'http://127.0.0.1/index.html',
      '*',
      '/%E0%A4%A',
      '/%',
      '/assets//x.js',
      '/assets/',
      '//etc/passwd',
    ]) {
      assert.deepEqual(resolveStaticFile(root, urlPath), missing, urlPath);
    }
  });

  it('for any URL path, names a file inside the root or refuses, and never throws', () => {
    const tricky = fc.constantFrom(
      '..',
      '.',
      '%2e',
      '%2E',
      '%2f',
      '%2F',
      '%5c',
      '%00',
      '%',
      '%3A',
      'C:',
      '\\',
      '/',
      '?',
      '#',
      '\0',
      'a',
      'index.html',
      '~',
      '%E0%A4%A',
      '%C3%A9',
    );
    const urlPath = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc
        .array(fc.oneof(tricky, fc.string({ maxLength: 6 })), { maxLength: 12 })
        .map((parts) => parts.join('')),
      fc
        .array(fc.oneof(tricky, fc.string({ maxLength: 6 })), { maxLength: 8 })
        .map((segments) => `/${segments.join('/')}`),
    );
    fc.assert(
      fc.property(urlPath, (candidate) => {
        const lookup = resolveStaticFile(root, candidate);
        if (!lookup.ok) {
          assert.ok([403, 404].includes(lookup.status));
          return;
        }
        assert.ok(lookup.file.startsWith(root + path.sep), `${candidate} -> ${lookup.file}`);
        const relative = path.relative(root, lookup.file);
        assert.ok(!relative.split(path.sep).some((segment) => segment.startsWith('.')), relative);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('readStaticFile', () => {
  const dir = tempDir('callbridge-static-');
  const rendererDir = path.join(dir, 'renderer');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(
    path.join(rendererDir, 'index.html'),
    '<!doctype html><title>Comms Manager</title>',
  );
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'export {};');
  writeFileSync(path.join(dir, 'secret.txt'), 'outside the renderer');

  it('reads files with their content type', async () => {
    const index = await readStaticFile(rendererDir, '/');
    assert.ok(index.ok);
    assert.equal(index.type, 'text/html; charset=utf-8');
    assert.match(index.body.toString('utf8'), /Comms Manager/);
    const script = await readStaticFile(rendererDir, '/assets/app.js?v=2');
    assert.ok(script.ok);
    assert.equal(script.type, 'text/javascript; charset=utf-8');
  });

  it('answers 404 for missing files and folders, 403 for a neighbour of the root', async () => {
    assert.deepEqual(await readStaticFile(rendererDir, '/nope.js'), missing);
    assert.deepEqual(await readStaticFile(rendererDir, '/assets'), missing);
    assert.deepEqual(await readStaticFile(rendererDir, '/../secret.txt'), refused);
    assert.deepEqual(await readStaticFile(rendererDir, '/%2e%2e/secret.txt'), refused);
    assert.deepEqual(await readStaticFile(rendererDir, '/..%2fsecret.txt'), refused);
  });
});

describe('contentTypeFor', () => {
  it('names the types the renderer build produces, whatever the case of the extension', () => {
    assert.equal(contentTypeFor('index.html'), 'text/html; charset=utf-8');
    assert.equal(contentTypeFor('a/index-abc.JS'), 'text/javascript; charset=utf-8');
    assert.equal(contentTypeFor('a/index.css'), 'text/css; charset=utf-8');
    assert.equal(contentTypeFor('a/index.js.map'), 'application/json; charset=utf-8');
    assert.equal(contentTypeFor('logo.svg'), 'image/svg+xml');
    assert.equal(contentTypeFor('font.woff2'), 'font/woff2');
    assert.equal(contentTypeFor('ring.wav'), 'audio/wav');
    assert.equal(contentTypeFor('README'), 'application/octet-stream');
  });
});

describe('contentSecurityPolicy', () => {
  it('is strict, and differs between the targets only in connect-src', () => {
    const app = contentSecurityPolicy();
    const browser = contentSecurityPolicy(bridgeSources(5173));
    assert.match(app, /(^|; )default-src 'none'(;|$)/);
    assert.match(app, /(^|; )connect-src 'self'(;|$)/);
    assert.match(
      browser,
      /(^|; )connect-src 'self' ws:\/\/127\.0\.0\.1:5173 ws:\/\/localhost:5173(;|$)/,
    );
    assert.equal(browser.replace(/connect-src [^;]*/, ''), app.replace(/connect-src [^;]*/, ''));
    for (const policy of [app, browser]) {
      assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|\*/);
      assert.match(policy, /frame-ancestors 'none'/);
      assert.match(policy, /base-uri 'none'/);
    }
  });

  it('goes out with the other security headers', () => {
    const headers = securityHeaders(bridgeSources(80));
    assert.equal(headers['Content-Security-Policy'], contentSecurityPolicy(bridgeSources(80)));
    assert.equal(headers['X-Content-Type-Options'], 'nosniff');
    assert.equal(headers['Referrer-Policy'], 'no-referrer');
  });
});
