import fs from 'node:fs';
import path from 'node:path';
import { beforeEach } from 'node:test';
import { tempDir } from '../core.test-support.ts';

/**
 * The setup the file stores' tests share: a fresh profile folder before every test of the
 * calling file (from ../core.test-support.ts, so removed when the file ends), and the
 * store's file inside it. `dir` and `file` are live bindings: read them inside a test.
 */

export let dir = '';
export let file = '';

/** Registers, for the calling test file, a new `dir` before each test and `file` = dir/`name`. */
export function freshProfileEachTest(prefix: string, name: string): void {
  beforeEach(() => {
    dir = tempDir(prefix);
    file = path.join(dir, name);
  });
}

export const isPosix = process.platform !== 'win32';
export const modeOf = (target: string): number => fs.statSync(target).mode & 0o777;
