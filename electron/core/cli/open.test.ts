import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { err, ok } from '../../../shared/result.ts';
import { freePort, tempDir } from '../core.test-support.ts';
import { formatLocalApiFile, localApiFile } from '../doors/links/local-api-file.ts';
import { LocalApi, type LinkAnswer } from '../doors/links/local-api.ts';
import { IntegrationLog } from '../integration-log.ts';
import { newToken } from '../server/token.ts';
import { runOpen } from './open.ts';

const apis: LocalApi[] = [];
after(async () => {
  for (const api of apis) await api.close();
});

function capture() {
  const out: string[] = [];
  const errors: string[] = [];
  return {
    out,
    errors,
    io: { stdout: (l: string) => out.push(l), stderr: (l: string) => errors.push(l) },
  };
}

function profileWith(port: number, token: string, mode = 0o600): string {
  const dir = tempDir('callbridge-open-');
  fs.writeFileSync(localApiFile(dir), formatLocalApiFile({ port, token }), { mode });
  fs.chmodSync(localApiFile(dir), mode);
  return dir;
}

/** A local API whose door answers `answer` to every link, recording the links. */
async function apiAnswering(answer: LinkAnswer) {
  const token = newToken();
  const links: string[] = [];
  const opened = await LocalApi.open({
    token,
    log: new IntegrationLog().forSource('links'),
    intake: (link) => {
      links.push(link);
      return Promise.resolve(answer);
    },
  });
  if (!opened.ok) assert.fail(opened.error);
  apis.push(opened.value);
  return { port: opened.value.port, token, links };
}

async function open(argv: string[]) {
  const { out, errors, io } = capture();
  const code = await runOpen(argv, io, { timeoutMs: 5_000 });
  return { code, out, errors };
}

describe('callbridge open', () => {
  it('hands the link over and exits 0 once it was dialled or asked', async () => {
    for (const [answer, shown] of [
      [ok({ outcome: 'done' as const, message: 'dialled 187' }), 'callbridge open: dialled 187'],
      [
        ok({ outcome: 'asked' as const, message: 'asked in the Comms Manager: Call 187?' }),
        'callbridge open: asked in the Comms Manager: Call 187?',
      ],
    ] as const) {
      const api = await apiAnswering(answer);
      const profile = profileWith(api.port, api.token);
      const result = await open(['--profile', profile, '--', 'tel:187']);
      assert.deepEqual(result, { code: 0, out: [shown], errors: [] });
      assert.deepEqual(api.links, ['tel:187']);
    }
  });

  it('exits 4 with the core’s one-line reason when it refuses the link', async () => {
    const api = await apiAnswering(
      err({ code: 'malformed-link', message: 'tel: link has no number' }),
    );
    const result = await open(['--profile', profileWith(api.port, api.token), 'tel:']);
    assert.deepEqual(result, {
      code: 4,
      out: [],
      errors: ['callbridge open: tel: link has no number'],
    });
  });

  it('exits 4 naming the file when the running Callbridge refuses its token', async () => {
    const api = await apiAnswering(ok({ outcome: 'done', message: 'dialled' }));
    const profile = profileWith(api.port, newToken());
    const result = await open(['--profile', profile, 'tel:187']);
    assert.equal(result.code, 4);
    assert.match(
      result.errors[0] ?? '',
      /refused the token in .*local-api\.json: missing or wrong token/,
    );
    assert.deepEqual(api.links, []);
  });

  it('exits 3 when no Callbridge runs for the profile, or only its stale file is left', async () => {
    const empty = tempDir('callbridge-open-');
    const none = await open(['--profile', empty, 'tel:187']);
    assert.equal(none.code, 3);
    assert.match(
      none.errors[0] ?? '',
      new RegExp(`^callbridge open: no Callbridge is running for profile ${empty} `),
    );
    const stale = profileWith(await freePort(), newToken());
    const left = await open(['--profile', stale, 'tel:187']);
    assert.equal(left.code, 3);
    assert.match(
      left.errors[0] ?? '',
      /no Callbridge is running for profile .*left from a run that stopped/,
    );
  });

  it('does not use a token file that other users can read, or a link to one', async (t) => {
    if (process.platform === 'win32') t.skip('no POSIX modes on Windows');
    const api = await apiAnswering(ok({ outcome: 'done', message: 'dialled' }));
    const readable = await open(['--profile', profileWith(api.port, api.token, 0o644), 'tel:187']);
    assert.equal(readable.code, 3);
    assert.match(readable.errors[0] ?? '', /can be read by other users/);
    const linked = tempDir('callbridge-open-');
    fs.symlinkSync(
      localApiFile(profileWith(api.port, api.token)),
      path.join(linked, 'local-api.json'),
    );
    const followed = await open(['--profile', linked, 'tel:187']);
    assert.equal(followed.code, 3);
    assert.match(followed.errors[0] ?? '', /symbolic link/);
    assert.deepEqual(api.links, []);
  });

  it('exits 2 on bad arguments, and prints its usage on --help', async () => {
    assert.equal((await open([])).code, 2);
    assert.equal((await open(['tel:1', 'tel:2'])).code, 2);
    assert.equal((await open(['--number', '1'])).code, 2);
    const help = await open(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.out[0] ?? '', /callbridge open \[--profile <dir>\]/);
  });
});
