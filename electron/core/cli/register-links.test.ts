import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../core.test-support.ts';
import {
  desktopEntry,
  execArgument,
  OPEN_DESKTOP_FILE,
  REGISTERED_SCHEMES,
  runRegisterLinks,
} from './register-links.ts';

const hasXdgMime = (() => {
  try {
    execFileSync('xdg-mime', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('callbridge register-links', () => {
  it('quotes Exec arguments as the Desktop Entry Specification wants', () => {
    assert.deepEqual(execArgument('/usr/bin/node'), { ok: true, value: '/usr/bin/node' });
    assert.deepEqual(execArgument('/home/a b/it’s'), { ok: true, value: '"/home/a b/it’s"' });
    assert.deepEqual(execArgument('/x/100%'), { ok: true, value: '"/x/100%%"' });
    assert.deepEqual(execArgument('/x/$HOME "q" \\'), {
      ok: true,
      value: '"/x/\\\\$HOME \\\\"q\\\\" \\\\\\\\"',
    });
    assert.equal(execArgument('/x\ny').ok, false);
  });

  it('writes an entry whose Exec runs callbridge open with `--` before the link', () => {
    const entry = desktopEntry('/opt/node/bin/node', '/srv/cb/bin/callbridge.mjs', '/p/my profile');
    assert.ok(entry.ok);
    assert.match(
      entry.value,
      /^Exec=\/opt\/node\/bin\/node \/srv\/cb\/bin\/callbridge\.mjs open --profile "\/p\/my profile" -- %u$/m,
    );
    assert.match(
      entry.value,
      /^MimeType=x-scheme-handler\/tel;x-scheme-handler\/callto;x-scheme-handler\/sip;x-scheme-handler\/voispeed;$/m,
    );
  });

  it('makes the entry the default handler of every scheme, in a test desktop profile', async (t) => {
    if (!hasXdgMime) t.skip('xdg-mime is not installed (xdg-utils)');
    const home = tempDir('callbridge-xdg-');
    const env = {
      ...process.env,
      HOME: home,
      XDG_DATA_HOME: path.join(home, 'data'),
      XDG_CONFIG_HOME: path.join(home, 'config'),
    };
    const out: string[] = [];
    const errors: string[] = [];
    const profile = path.join(home, 'profile');
    const code = await runRegisterLinks(
      ['--profile', profile],
      { stdout: (l) => out.push(l), stderr: (l) => errors.push(l) },
      { env },
    );
    assert.deepEqual([code, errors], [0, []]);
    const file = path.join(home, 'data', 'applications', OPEN_DESKTOP_FILE);
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, new RegExp(`open --profile ${profile} -- %u$`, 'm'));
    assert.ok(text.includes(`Exec=${process.execPath} `));
    for (const scheme of REGISTERED_SCHEMES) {
      const answer = execFileSync('xdg-mime', ['query', 'default', `x-scheme-handler/${scheme}`], {
        env,
        encoding: 'utf8',
      });
      assert.equal(answer.trim(), OPEN_DESKTOP_FILE, scheme);
    }
  });

  it('exits 2 on unknown arguments', async () => {
    const errors: string[] = [];
    const code = await runRegisterLinks(['--force'], {
      stdout: () => undefined,
      stderr: (l) => errors.push(l),
    });
    assert.equal(code, 2);
  });
});
