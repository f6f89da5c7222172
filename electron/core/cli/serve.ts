import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createCore } from '../core.ts';
import { LocalServer } from '../server/local-server.ts';

export const SERVE_USAGE = `  callbridge serve [--profile <dir>] [--ui-port <n>] [--listen-port <n>]
      Start the core and serve the Comms Manager on 127.0.0.1 (0 picks a free port).
      Prints "Comms Manager: <url>" and "Listen port: <port>" once each is ready.`;

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const RENDERER_DIR = join(REPO_ROOT, 'dist', 'renderer');

export function defaultProfileDir(): string {
  const config = process.env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config');
  return join(config, 'callbridge');
}

type Io = { stdout: (line: string) => void; stderr: (line: string) => void };

function portFlag(name: string, value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  return /^\d+$/.test(value) && port <= 65535
    ? port
    : `--${name} must be a port number from 0 to 65535, not "${value}"`;
}

export async function runServe(argv: readonly string[], io: Io): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        profile: { type: 'string' },
        'ui-port': { type: 'string' },
        'listen-port': { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    io.stderr(`callbridge serve: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const uiPort = portFlag('ui-port', values['ui-port']) ?? 0;
  const listenPort = portFlag('listen-port', values['listen-port']);
  for (const value of [uiPort, listenPort]) {
    if (typeof value === 'string') {
      io.stderr(`callbridge serve: ${value}`);
      return 2;
    }
  }
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    io.stderr(
      'callbridge serve: the Comms Manager is not built (dist/renderer is missing); run "npm run build:renderer" first',
    );
    return 1;
  }

  const profileDir = resolve(values.profile ?? defaultProfileDir());
  let core;
  try {
    core = await createCore({
      profileDir,
      ...(typeof listenPort === 'number' ? { listenPort } : {}),
    });
  } catch (error) {
    io.stderr(`callbridge serve: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  for (const warning of core.warnings) io.stderr(`warning: ${warning}`);

  const server = await LocalServer.open({
    port: uiPort as number,
    rendererDir: RENDERER_DIR,
    bridge: core.bridge,
  });
  if (!server.ok) {
    io.stderr(`callbridge serve: ${server.error}`);
    await core.close();
    return 1;
  }
  io.stdout(`Profile: ${profileDir}`);
  const bound = core.listenPort();
  if (bound !== null) io.stdout(`Listen port: ${bound}`);
  io.stdout(`Comms Manager: ${server.value.url}`);

  return new Promise((resolvePromise) => {
    const stop = () => {
      void Promise.all([server.value.close(), core.close()]).then(() => {
        resolvePromise(0);
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
