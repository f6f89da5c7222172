import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  SETTINGS_VERSION,
  SettingsSchema,
  defaultSettings,
  settingsFieldErrors,
  type FieldError,
  type Settings,
} from '../../../shared/model/settings.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { fieldAsWritten, migrateSettings } from './settings-migrations.ts';

export const SETTINGS_FILE = 'settings.json';

/** Settings are a handful of fields; anything this large is not ours. */
const MAX_SETTINGS_BYTES = 1024 * 1024;

/** Keys that turn a later merge or lookup into prototype pollution. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const KEEP_DEFAULTS = 'using defaults until you save';

/**
 * Create the profile folder, owner-only, if it is missing. An existing folder keeps its
 * permissions: it may be one the user chose on purpose. Throws what `fs` throws.
 */
export function ensureProfileDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** A settings file that was read. */
interface Loaded {
  readonly settings: Settings;
  /** The version the file was written in; null when there was no file. */
  readonly from: number | null;
}

/** A settings file that cannot be used, and the suffix it is kept under on the next save. */
interface Unusable {
  readonly reason: string;
  readonly keepAs: string;
}

/**
 * The user's settings, `settings.json` in the profile folder. Reading never throws: a
 * missing file means defaults, a damaged one (or one from a newer Callbridge) means
 * defaults plus `problem`, and that file is kept (moved aside on the next save) so
 * nothing the user wrote is lost. Older versions are migrated in memory on open.
 */
export class SettingsStore {
  readonly file: string;
  readonly #dir: string;
  #settings: Settings;
  #problem: string | null;
  /** Suffix for moving the file on disk aside before the next save; null to replace it. */
  #keepAs: string | null;
  #migratedFrom: number | null;

  private constructor(dir: string, loaded: Result<Loaded, Unusable>) {
    this.#dir = dir;
    this.file = path.join(dir, SETTINGS_FILE);
    if (loaded.ok) {
      this.#settings = loaded.value.settings;
      this.#problem = null;
      this.#keepAs = null;
      const from = loaded.value.from;
      this.#migratedFrom = from !== null && from < SETTINGS_VERSION ? from : null;
    } else {
      this.#settings = defaults();
      this.#problem = `${loaded.error.reason}; ${KEEP_DEFAULTS}`;
      this.#keepAs = loaded.error.keepAs;
      this.#migratedFrom = null;
    }
  }

  /**
   * Read the file. A file of an older version is migrated in memory only and written in
   * the current version on the next save, not now: until the user saves, the file stays
   * as the older Callbridge wrote it, so going back to that version keeps working.
   */
  static open(profileDir: string): SettingsStore {
    return new SettingsStore(profileDir, load(path.join(profileDir, SETTINGS_FILE)));
  }

  /** What was wrong with the file on disk, for the user; null when it was fine or absent. */
  get problem(): string | null {
    return this.#problem;
  }

  /**
   * The older version the file on disk is still in (it is rewritten in the current one on
   * the next save); null when it is current, absent or unusable.
   */
  get migratedFrom(): number | null {
    return this.#migratedFrom;
  }

  get(): Settings {
    return this.#settings;
  }

  /**
   * Validate and store. On a validation error nothing changes, in memory or on disk, and
   * the answer lists one message per field. A write error is reported as '(settings)'.
   */
  save(input: unknown): Result<Settings, FieldError[]> {
    const parsed = SettingsSchema.safeParse(input);
    if (!parsed.success) return err(settingsFieldErrors(parsed.error));
    const settings = parsed.data;
    try {
      ensureProfileDir(this.#dir);
      const keepAs = this.#keepAs;
      writeAtomically(this.file, `${JSON.stringify(settings, null, 2)}\n`, () => {
        if (keepAs !== null) moveAside(this.file, keepAs);
      });
    } catch (error) {
      return err([
        { field: '(settings)', message: `could not write ${this.file}: ${describe(error)}` },
      ]);
    }
    this.#settings = settings;
    this.#problem = null;
    this.#keepAs = null;
    this.#migratedFrom = null;
    return ok(settings);
  }
}

/** A fresh copy each time, so no caller can change the defaults for everyone else. */
function defaults(): Settings {
  return structuredClone(defaultSettings());
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}

const damaged = (reason: string): Result<Loaded, Unusable> => err({ reason, keepAs: 'corrupt' });

/** The settings in `file`, or a sentence (naming the file) that says why they are unusable. */
function load(file: string): Result<Loaded, Unusable> {
  try {
    let text: string;
    try {
      const size = fs.statSync(file).size;
      if (size > MAX_SETTINGS_BYTES) return damaged(`${SETTINGS_FILE} is larger than 1 MiB`);
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return ok({ settings: defaults(), from: null });
      return damaged(`${SETTINGS_FILE} could not be read (${describe(error)})`);
    }
    let json: unknown;
    try {
      // Editors on Windows like to start UTF-8 files with a byte order mark.
      json = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (error) {
      return damaged(`${SETTINGS_FILE} is not valid JSON (${describe(error)})`);
    }
    const forbidden = findForbiddenKey(json);
    if (forbidden !== null) {
      return damaged(
        `${SETTINGS_FILE} contains the key "${forbidden.key}"${forbidden.at ? ` in ${forbidden.at}` : ''}, which is not allowed`,
      );
    }
    const migrated = migrateSettings(json);
    if (!migrated.ok) {
      // A file from a newer Callbridge is not damaged: keep it under a name that says so.
      const newer = newerVersionOf(json);
      return err({ reason: migrated.error, keepAs: newer === null ? 'corrupt' : `v${newer}` });
    }
    const { value, from } = migrated.value;
    const parsed = SettingsSchema.safeParse(value);
    if (!parsed.success) {
      const fields = settingsFieldErrors(parsed.error).map(
        (e) => `${fieldAsWritten(e.field, from)} ${e.message}`,
      );
      return damaged(`${SETTINGS_FILE}: ${fields.join(', ')}`);
    }
    return ok({ settings: parsed.data, from });
  } catch (error) {
    // Last resort: nothing about a file may stop the app from starting.
    return damaged(`${SETTINGS_FILE} could not be loaded (${describe(error)})`);
  }
}

/** The version of a file from a newer Callbridge, or null if it is not one. */
function newerVersionOf(json: unknown): number | null {
  if (typeof json !== 'object' || json === null || !('version' in json)) return null;
  const version = json.version;
  return typeof version === 'number' && Number.isInteger(version) && version > SETTINGS_VERSION
    ? version
    : null;
}

/**
 * The first `__proto__`, `constructor` or `prototype` key anywhere in a parsed JSON value,
 * with its path. Walks with an explicit stack: a deeply nested file must not overflow.
 */
function findForbiddenKey(root: unknown): { key: string; at: string } | null {
  const stack: { value: unknown; at: string }[] = [{ value: root, at: '' }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value, at } = next;
    if (typeof value !== 'object' || value === null) continue;
    const isArray = Array.isArray(value);
    // JSON.parse makes every key an own data property, `__proto__` included.
    for (const [key, child] of Object.entries(value)) {
      if (!isArray && FORBIDDEN_KEYS.has(key)) return { key, at };
      stack.push({ value: child, at: at ? `${at}.${key}` : key });
    }
  }
  return null;
}

/**
 * `settings.json.corrupt-2025-01-31T10-20-30-123Z` (or `.v7-…` for a newer version's
 * file), never over an earlier one.
 */
function moveAside(file: string, label: string): void {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (let attempt = 0; attempt < 100; attempt++) {
    const target = `${file}.${label}-${stamp}${attempt === 0 ? '' : `-${attempt}`}`;
    if (fs.existsSync(target)) continue;
    try {
      fs.renameSync(file, target);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return; // gone already: nothing to keep
      throw error;
    }
    return;
  }
  throw new Error(`could not find a free name to keep the earlier ${SETTINGS_FILE}`);
}

/**
 * Temp file in the same folder (same file system, so the rename is atomic), owner-only,
 * fsynced; then `beforeReplace`, the rename over `file`, and an fsync of the folder so
 * the rename itself survives a crash. Either the old or the new file is there, never half.
 * The folder must exist. Throws what `fs` throws, after removing the temp file.
 */
export function writeAtomically(file: string, text: string, beforeReplace?: () => void): void {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = fs.openSync(temp, 'wx', 0o600);
    try {
      fs.writeFileSync(fd, text, 'utf8');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    beforeReplace?.();
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  syncFolder(dir);
}

function syncFolder(dir: string): void {
  // Windows cannot open a folder for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
