import { spawn } from 'node:child_process';
import { err, ok, type Result } from '../../shared/result.ts';

/**
 * Hands a URL (`tel:+4930…`, `https://crm.example/…`) to the operating system's handler
 * for its scheme: what the TEL extension type and Integra's URL templates need. In the
 * Electron app this is `shell.openExternal`; the browser target and tests run the
 * platform's opener with the URL as one argv element, never through a shell, in the
 * environment the core was started with (so a test profile's XDG folders apply).
 */
export type OpenExternal = (url: string) => Promise<Result<null, string>>;

export interface SystemOpenOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly platform?: NodeJS.Platform;
  /**
   * How long the opener has to fail. One still running after it has handed the URL over:
   * xdg-open without a desktop environment waits for the handler it started, and a
   * softphone handling `tel:` keeps running. It is left to run, detached from the core.
   */
  readonly timeLimitMs?: number;
}

/** The platform's opener and the arguments before the URL. */
function opener(platform: NodeJS.Platform): { file: string; args: readonly string[] } {
  switch (platform) {
    case 'darwin':
      return { file: 'open', args: [] };
    case 'win32':
      // The URL protocol association, without cmd.exe's `start` and its quoting rules.
      return { file: 'rundll32.exe', args: ['url.dll,FileProtocolHandler'] };
    default:
      return { file: 'xdg-open', args: [] };
  }
}

const STDERR_LIMIT = 2048;

export function systemOpener(options: SystemOpenOptions = {}): OpenExternal {
  const { env = process.env, platform = process.platform, timeLimitMs = 10_000 } = options;
  const { file, args } = opener(platform);
  return (url) =>
    new Promise((resolve) => {
      let stderr = '';
      let settled = false;
      const finish = (result: Result<null, string>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const child = spawn(file, [...args, url], {
        env,
        shell: false,
        windowsHide: true,
        // Its own process group: the handler it starts outlives a Ctrl-C or exit of the core.
        detached: true,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const timer = setTimeout(() => {
        child.stderr.destroy();
        child.unref();
        finish(ok(null));
      }, timeLimitMs);
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        if (stderr.length < STDERR_LIMIT) stderr += chunk.slice(0, STDERR_LIMIT - stderr.length);
      });
      child.on('error', (error: NodeJS.ErrnoException) => {
        finish(
          err(error.code === 'ENOENT' ? `${file} is not installed` : `${file}: ${error.message}`),
        );
      });
      child.on('close', (code, signal) => {
        if (code === 0) {
          finish(ok(null));
          return;
        }
        // The last line: xdg-open tries several programs and says why it gave up at the end.
        const lastLine = stderr.split('\n').findLast((line) => line.trim() !== '') ?? '';
        const how = signal === null ? `exited with ${String(code)}` : `was stopped by ${signal}`;
        finish(err(`${file} ${how}${lastLine === '' ? '' : `: ${lastLine.trim().slice(0, 200)}`}`));
      });
    });
}
