import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { handlerArguments, linksFromArgv, MAX_LINKS, REGISTERED_SCHEMES } from './link-args.ts';

const root = path.resolve(import.meta.dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

describe('links in the Electron app’s argv', () => {
  it('takes links after `--`, as the system’s handler passes them', () => {
    assert.deepEqual(linksFromArgv(['/opt/Callbridge/callbridge', '--', 'tel:+4930123']), [
      'tel:+4930123',
    ]);
    assert.deepEqual(
      linksFromArgv(['C:\\Callbridge.exe', '--', 'VOISPEED: C 187', 'callto://+390612345678/']),
      ['VOISPEED: C 187', 'callto://+390612345678/'],
    );
    // A development run names the app folder first.
    assert.deepEqual(linksFromArgv(['/usr/bin/electron', '/src/callbridge', '--', 'sip:100']), [
      'sip:100',
    ]);
  });

  it('ignores Chromium’s switches in a second instance’s argv, and links before `--`', () => {
    assert.deepEqual(
      linksFromArgv([
        '/opt/Callbridge/callbridge',
        '--allow-file-access-from-files',
        '--original-process-start-time=1',
        'tel:999',
        '--',
        'tel:187',
      ]),
      ['tel:187'],
    );
    assert.deepEqual(linksFromArgv(['/opt/Callbridge/callbridge', 'tel:187']), []);
    assert.deepEqual(linksFromArgv(['/opt/Callbridge/callbridge']), []);
  });

  it('takes only link-shaped arguments, and a few of them', () => {
    assert.deepEqual(
      linksFromArgv(['x', '--', '--inspect=9229', 'https://evil.example', 'file:///etc/passwd']),
      [],
    );
    const many = Array.from({ length: 10 }, (_, index) => `tel:${index}`);
    assert.equal(linksFromArgv(['x', '--', ...many]).length, MAX_LINKS);
  });

  it('registers `--` before the link, after the app folder in a development run', () => {
    assert.deepEqual(handlerArguments(null), ['--']);
    assert.deepEqual(handlerArguments('/src/callbridge'), ['/src/callbridge', '--']);
  });
});

describe('the packaged app claims every scheme it registers, with `--` before the link', () => {
  const mimeTypes = `MimeType=${REGISTERED_SCHEMES.map((s) => `x-scheme-handler/${s};`).join('')}`;

  it('in the Linux desktop entries', () => {
    const desktop = read('build/callbridge.desktop');
    assert.match(desktop, /^Exec=\S+ -- %u$/m);
    assert.ok(desktop.includes(`${mimeTypes}\n`));
    const builder = read('electron-builder.yml');
    assert.match(builder, /^ {6}Exec: \S+ -- %u$/m);
    assert.ok(builder.includes(mimeTypes.replace('=', ': ')));
  });

  it('in electron-builder’s protocols and the Windows Default Apps capabilities', () => {
    const builder = read('electron-builder.yml');
    const schemes = [...builder.matchAll(/schemes: \[([^\]]*)\]/g)].flatMap((m) =>
      (m[1] ?? '').split(',').map((scheme) => scheme.trim()),
    );
    assert.deepEqual([...schemes].sort(), [...REGISTERED_SCHEMES].sort());
    assert.match(builder, /^ {2}include: build\/installer\.nsh$/m);
    const nsis = read('build/installer.nsh');
    for (const scheme of REGISTERED_SCHEMES) {
      assert.ok(nsis.includes(`URLAssociations" "${scheme}" "Callbridge.Link"`), scheme);
    }
    assert.ok(nsis.includes(`\${APP_EXECUTABLE_FILENAME}" -- "%1"'`));
    assert.ok(nsis.includes('"Software\\RegisteredApplications" "Callbridge"'));
  });
});
