import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DOOR_IDS, type DoorId } from '../../../shared/doors/registry.ts';
import { createCore } from '../core.ts';
import { DOORS } from '../doors/registry.ts';
import { LocalServer } from '../server/local-server.ts';
import { PLAIN_CODEC } from '../store/secret-store.ts';
import { defaultProfileDir } from './profile-dir.ts';

/** Doors whose port `serve` can override for one run, with their flag. */
const PORT_FLAGS = DOOR_IDS.flatMap((id) => {
  const flag = DOORS[id].serveFlag;
  return flag ? [{ id, ...flag }] : [];
});

export const SERVE_USAGE = `  callbridge serve [--profile <dir>] [--ui-port <n>]${PORT_FLAGS.map((flag) => ` [--${flag.name} <n>]`).join('')}
      Start the core and serve the Comms Manager on 127.0.0.1 (0 picks a free port).
      Prints "Comms Manager: <url>"${PORT_FLAGS.map((flag) => ` and "${flag.prints}"`).join('')} once each is ready.`;

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const RENDERER_DIR = join(REPO_ROOT, 'dist', 'renderer');

const stringValue = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

type Io = { stdout: (line: string) => void; stderr: (line: string) => void };

function portFlag(name: string, value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  return /^\d+$/.test(value) && port <= 65535
    ? port
    : `--${name} must be a port number from 0 to 65535, not "${value}"`;
}

export async function runServe(argv: readonly string[], io: Io): Promise<number> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        profile: { type: 'string' },
        'ui-port': { type: 'string' },
        ...Object.fromEntries(PORT_FLAGS.map((flag) => [flag.name, { type: 'string' as const }])),
      },
      strict: true,
    }));
  } catch (error) {
    io.stderr(`callbridge serve: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const uiPort = portFlag('ui-port', stringValue(values['ui-port'])) ?? 0;
  if (typeof uiPort === 'string') {
    io.stderr(`callbridge serve: ${uiPort}`);
    return 2;
  }
  const portOverrides: Partial<Record<DoorId, number>> = {};
  for (const flag of PORT_FLAGS) {
    const port = portFlag(flag.name, stringValue(values[flag.name]));
    if (typeof port === 'string') {
      io.stderr(`callbridge serve: ${port}`);
      return 2;
    }
    if (port !== undefined) portOverrides[flag.id] = port;
  }
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    io.stderr(
      'callbridge serve: the Comms Manager is not built (dist/renderer is missing); run "npm run build:renderer" first',
    );
    return 1;
  }

  const profileDir = resolve(stringValue(values['profile']) ?? defaultProfileDir());
  let core;
  try {
    // The browser target has no OS keyring: secrets.json is protected by its mode (0600).
    core = await createCore({ profileDir, portOverrides, secretCodec: PLAIN_CODEC });
  } catch (error) {
    io.stderr(`callbridge serve: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  for (const warning of core.warnings) io.stderr(`warning: ${warning}`);

  const server = await LocalServer.open({
    port: uiPort,
    rendererDir: RENDERER_DIR,
    bridge: core.bridge,
    connectSources: () => core.connectSources(),
  });
  if (!server.ok) {
    io.stderr(`callbridge serve: ${server.error}`);
    await core.close();
    return 1;
  }
  io.stdout(`Profile: ${profileDir}`);
  for (const status of Object.values(core.doors())) {
    if (status.state === 'ready' && status.readyLine !== null) io.stdout(status.readyLine);
  }
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
