import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { APP_CSP, APP_SECURITY_HEADERS, resolveAppFile } from './app-files.ts';
import { isAppOrigin, isAppUrl } from './app-origin.ts';
import { contentTypeFor } from './core/server/static-files.ts';

const root = path.resolve('/srv/callbridge/dist/renderer');
const at = (...segments: string[]) => ({ ok: true, file: path.join(root, ...segments) });

describe('resolveAppFile', () => {
  it('serves index.html for the root and files below it', () => {
    assert.deepEqual(resolveAppFile(root, 'callbridge-app://comms-manager/'), at('index.html'));
    assert.deepEqual(
      resolveAppFile(root, 'callbridge-app://comms-manager/assets/index-abc.js?v=1#x'),
      at('assets', 'index-abc.js'),
    );
    assert.deepEqual(
      resolveAppFile(root, 'callbridge-app://comms-manager/assets/ring%20tone.wav'),
      at('assets', 'ring tone.wav'),
    );
  });

  it('refuses unknown hosts and other schemes', () => {
    for (const url of [
      'callbridge-app://evil/index.html',
      'callbridge-app://comms-manager:8080/index.html',
      'file:///etc/passwd',
      'https://comms-manager/index.html',
    ]) {
      assert.deepEqual(resolveAppFile(root, url), { ok: false, status: 403 }, url);
    }
  });

  it('never leaves the renderer folder, however the path is spelled', () => {
    for (const url of [
      'callbridge-app://comms-manager/..%2f..%2fetc/passwd',
      'callbridge-app://comms-manager/assets/..%2F..%2F..%2Fpackage.json',
      'callbridge-app://comms-manager/%2e%2e%2f%2e%2e%2fpackage.json',
      'callbridge-app://comms-manager/..%5c..%5cpackage.json',
      'callbridge-app://comms-manager/C%3A%5CWindows%5Cwin.ini',
      'callbridge-app://comms-manager/index.html%00.png',
      'callbridge-app://comms-manager/.env',
      'callbridge-app://comms-manager/assets/%2e%2e%2f.env',
    ]) {
      assert.deepEqual(resolveAppFile(root, url), { ok: false, status: 403 }, url);
    }
    // Plain dot segments are folded by the URL parser; what is left stays inside the root.
    for (const url of [
      'callbridge-app://comms-manager/../../etc/passwd',
      'callbridge-app://comms-manager/%2e%2e/%2e%2e/etc/passwd',
    ]) {
      const lookup = resolveAppFile(root, url);
      assert.ok(!lookup.ok || lookup.file.startsWith(root + path.sep), url);
    }
  });

  it('answers 404 for malformed escapes and empty segments', () => {
    assert.deepEqual(resolveAppFile(root, 'callbridge-app://comms-manager/%E0%A4%A'), {
      ok: false,
      status: 404,
    });
    assert.deepEqual(resolveAppFile(root, 'callbridge-app://comms-manager/assets//x.js'), {
      ok: false,
      status: 404,
    });
  });
});

describe('contentTypeFor (shared with the browser target)', () => {
  it('names the types the renderer build produces', () => {
    assert.equal(contentTypeFor('index.html'), 'text/html; charset=utf-8');
    assert.equal(contentTypeFor('a/index-abc.JS'), 'text/javascript; charset=utf-8');
    assert.equal(contentTypeFor('a/index.css'), 'text/css; charset=utf-8');
    assert.equal(contentTypeFor('logo.svg'), 'image/svg+xml');
    assert.equal(contentTypeFor('font.woff2'), 'font/woff2');
    assert.equal(contentTypeFor('README'), 'application/octet-stream');
  });
});

describe('headers', () => {
  // The policy's directives are static-files.test.ts's subject; here, what the app scheme
  // adds: it reaches the core over IPC, so its page may connect to no socket at all.
  it('lets the app page connect nowhere but itself', () => {
    const connect = APP_CSP.split(';')
      .map((directive) => directive.trim())
      .find((directive) => directive.startsWith('connect-src'));
    assert.equal(connect, "connect-src 'self'");
    assert.doesNotMatch(APP_CSP, /ws:|wss:|http:/);
  });

  it('sends that policy and the other security headers with every response', () => {
    assert.equal(APP_SECURITY_HEADERS['Content-Security-Policy'], APP_CSP);
    assert.equal(APP_SECURITY_HEADERS['X-Content-Type-Options'], 'nosniff');
    assert.equal(APP_SECURITY_HEADERS['Cross-Origin-Resource-Policy'], 'same-origin');
  });
});

describe('app origin', () => {
  it('recognises only our scheme and host', () => {
    assert.ok(isAppUrl('callbridge-app://comms-manager/'));
    assert.ok(isAppUrl('callbridge-app://COMMS-MANAGER/index.html#lines'));
    assert.ok(!isAppUrl('callbridge-app://comms-manager.evil/'));
    assert.ok(!isAppUrl('callbridge-app://user@comms-manager/'));
    assert.ok(!isAppUrl('file:///work/main/dist/renderer/index.html'));
    assert.ok(!isAppUrl('https://comms-manager/'));
    assert.ok(!isAppUrl('not a url'));
    assert.ok(isAppOrigin('callbridge-app://comms-manager'));
    assert.ok(!isAppOrigin('null'));
    assert.ok(!isAppOrigin('callbridge-app://comms-manager.evil'));
  });
});
