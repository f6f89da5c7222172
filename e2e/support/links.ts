import { execFile } from 'node:child_process';
import { REPO_ROOT } from './serve.ts';

/** What the links tests share: running a command as a desktop entry would, and the vendor's account. */

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A command without a shell, as a desktop entry or a script starts it. */
export function run(file: string, args: readonly string[], env = process.env): Promise<Run> {
  return new Promise((done) => {
    execFile(file, args, { cwd: REPO_ROOT, env, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout: stdout.trim(), stderr: stderr.trim() });
    });
  });
}

/** The MD5 password hash of VOIspeed's autoconfiguration example. */
export const VENDOR_HASH = '8c7bde4622aea226d1cff593b3c26829';
