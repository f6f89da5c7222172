import { execFile, type ExecFileException } from 'node:child_process';

/**
 * Which program the system opens `tel:` links with, as the TEL extension type needs to
 * know it: to name it in its status, and to refuse to dial when it is Callbridge itself
 * (the call would come straight back here, and again, for ever).
 *
 * Only Linux can be asked from the core (`xdg-mime`, from xdg-utils, the same database
 * xdg-open reads). macOS and Windows keep the answer in APIs the core does not reach;
 * there the handler is "unknown" and dialling goes ahead.
 */
export type TelHandler =
  /** A desktop entry (`zoiper.desktop`); `isCallbridge` when it is one of ours. */
  | { readonly kind: 'named'; readonly entry: string; readonly isCallbridge: boolean }
  /** xdg-mime answered nothing: no program is set for tel: links. */
  | { readonly kind: 'none' }
  /** It could not be asked; `why` is null where there is nothing to ask (not Linux). */
  | { readonly kind: 'unknown'; readonly why: string | null };

export interface TelHandlerQueryOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly platform?: NodeJS.Platform;
  readonly timeLimitMs?: number;
}

/**
 * The desktop entries Callbridge installs (`callbridge.desktop` for the app,
 * `callbridge-open.desktop` for the browser target's link handler) all start so.
 */
export const isCallbridgeEntry = (entry: string): boolean =>
  entry.toLowerCase().startsWith('callbridge');

/** What a desktop entry's file name may be (the Desktop Entry spec's desktop file id). */
const ENTRY = /^[A-Za-z0-9_.+-]{1,200}\.desktop$/u;
const ANSWER_LIMIT = 4096;

const firstLine = (text: string): string =>
  text
    .split('\n')
    .find((line) => line.trim() !== '')
    ?.trim() ?? '';

/**
 * Runs `xdg-mime query default x-scheme-handler/tel` as argv (no shell) in `env`, the
 * core's own environment, so a test profile's XDG folders apply as they do to xdg-open.
 * Never rejects: every failure is an "unknown" naming why.
 */
export function queryTelHandler(options: TelHandlerQueryOptions = {}): Promise<TelHandler> {
  const { env = process.env, platform = process.platform, timeLimitMs = 5_000 } = options;
  if (platform !== 'linux') return Promise.resolve({ kind: 'unknown', why: null });
  return new Promise((resolve) => {
    execFile(
      'xdg-mime',
      ['query', 'default', 'x-scheme-handler/tel'],
      {
        env,
        shell: false,
        timeout: timeLimitMs,
        killSignal: 'SIGKILL',
        maxBuffer: ANSWER_LIMIT,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error === null) {
          const entry = firstLine(stdout);
          if (entry === '') resolve({ kind: 'none' });
          else if (ENTRY.test(entry)) {
            resolve({ kind: 'named', entry, isCallbridge: isCallbridgeEntry(entry) });
          } else {
            resolve({
              kind: 'unknown',
              why: 'xdg-mime answered something that is not a desktop entry',
            });
          }
          return;
        }
        resolve({ kind: 'unknown', why: failure(error, firstLine(stderr), timeLimitMs) });
      },
    );
  });
}

function failure(error: ExecFileException, stderr: string, timeLimitMs: number): string {
  if (error.code === 'ENOENT') return 'xdg-mime is not installed (it comes with xdg-utils)';
  if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
    return `xdg-mime answered more than ${ANSWER_LIMIT} bytes`;
  }
  if (error.killed === true) return `xdg-mime did not answer within ${timeLimitMs} ms`;
  const how = typeof error.code === 'number' ? ` with ${error.code}` : '';
  const said = stderr === '' ? '' : `: ${stderr.slice(0, 200)}`;
  return `xdg-mime failed${how}${said}`;
}
