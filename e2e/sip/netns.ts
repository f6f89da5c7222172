import { spawn, spawnSync } from 'node:child_process';
import { binary } from './process.ts';

/**
 * WebRTC tests run in a network namespace of their own with only loopback up (DESIGN.md,
 * rig facts): Chromium then gathers ICE candidates on 127.0.0.1 alone, and no STUN check
 * or media packet leaves for an address of the machine's real interfaces.
 *
 * A test file calls `runInOwnNetworkNamespace(import.meta.filename)` before it declares
 * any test. Outside a namespace it runs the same file again, with the same Node options
 * and environment, under `unshare -n` (as root; `unshare -r -n` otherwise, where user
 * namespaces are allowed) and exits with that run's code. `node --test` reads the test
 * reports from the inner run's stdout as if the file had run in place, and the rig's
 * Kamailio, rtpengine and sipp, the core and Chromium all start inside. Where no
 * namespace can be made, the file runs in place and says why on stderr.
 */

const INSIDE = 'CALLBRIDGE_TEST_NETNS';

/** `ip link set lo up`, then the command: a new namespace's loopback starts down. */
const LOOPBACK_UP = `${binary('ip')} link set lo up && exec "$@"`;

function unshareArgs(): string[] {
  const asRoot = process.getuid?.() === 0;
  return asRoot ? ['-n'] : ['-r', '-n'];
}

/** Whether this machine lets us make a namespace and bring its loopback up. */
function canUnshare(args: readonly string[]): { ok: true } | { ok: false; why: string } {
  const probe = spawnSync(binary('unshare'), [...args, 'sh', '-c', LOOPBACK_UP, 'sh', 'true'], {
    encoding: 'utf8',
    timeout: 5_000,
  });
  if (probe.error) return { ok: false, why: probe.error.message };
  if (probe.status !== 0) return { ok: false, why: probe.stderr.trim() || `exit ${probe.status}` };
  return { ok: true };
}

export async function runInOwnNetworkNamespace(file: string): Promise<void> {
  if (process.env[INSIDE] === '1') return;
  const args = unshareArgs();
  const possible = canUnshare(args);
  if (!possible.ok) {
    process.stderr.write(
      `${file}: running without a network namespace of its own (unshare ${args.join(' ')}: ${possible.why})\n`,
    );
    return;
  }
  const child = spawn(
    binary('unshare'),
    [...args, 'sh', '-c', LOOPBACK_UP, 'sh', process.execPath, ...process.execArgv, file],
    { stdio: 'inherit', env: { ...process.env, [INSIDE]: '1' } },
  );
  // The runner ends a file by signal (a timeout, Ctrl-C): the inner run must end with it,
  // so that its own exit handlers end the rig and the browser.
  const forward = (signal: NodeJS.Signals) => () => {
    child.kill(signal);
  };
  const onTerm = forward('SIGTERM');
  const onInt = forward('SIGINT');
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  const code = await new Promise<number>((resolve) => {
    child.once('error', () => resolve(1));
    child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });
  process.exit(code);
}
