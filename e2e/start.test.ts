import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { newProfileDir, REPO_ROOT } from './support/serve.ts';

/**
 * `npm start` where Electron's binary cannot be had: one clear line, then the browser
 * target with the Comms Manager served on loopback.
 */
describe('npm start without the Electron binary', () => {
  const config = newProfileDir();
  after(() => {
    config.remove();
  });

  it('says so in one line and falls back to the browser target', async (t) => {
    if (existsSync(join(REPO_ROOT, 'node_modules', 'electron', 'dist'))) {
      t.skip('the Electron binary is installed here');
      return;
    }
    const child = spawn(process.execPath, ['scripts/start.mjs', '--listen-port', '0'], {
      cwd: REPO_ROOT,
      env: { ...process.env, XDG_CONFIG_HOME: config.dir, BROWSER: 'none' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((done) => child.once('exit', done));
    try {
      const seen: string[] = [];
      const url = await new Promise<string>((found, fail) => {
        const timer = setTimeout(() => {
          fail(new Error(`no Comms Manager line in 60 s:\n${seen.join('\n')}`));
        }, 60_000);
        for (const stream of [child.stdout, child.stderr]) {
          createInterface({ input: stream }).on('line', (line) => {
            seen.push(line);
            const match = /^Comms Manager: (\S+)$/.exec(line);
            if (match?.[1]) {
              clearTimeout(timer);
              found(match[1]);
            }
          });
        }
      });
      const fallback = seen.filter((line) => line.includes('browser target'));
      assert.equal(fallback.length, 1, seen.join('\n'));
      assert.match(fallback[0] ?? '', /Electron's binary is not installed/);
      assert.ok(seen.includes(`Profile: ${join(config.dir, 'callbridge')}`), seen.join('\n'));
      const page = await fetch(url.split('#')[0] ?? url);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<div id="root">|Comms Manager/);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
