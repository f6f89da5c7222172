import fs from 'node:fs';
import path from 'node:path';
import { err, ok, type Result } from '../../../shared/result.ts';
import { ensureProfileDir, writeAtomically } from './settings-store.ts';

/**
 * Secrets (the SIP password, provider secrets) kept apart from settings.json, snapshots,
 * events, the log and the page. Values leave this module only through `get()`: no
 * message it makes (`problem`, an error) ever contains one.
 */

/** A secret's name, such as `sip.password`; see `SECRET_NAME`. */
export type SecretName = string;

export const SECRET_NAME = /^[a-z][a-z0-9.-]{0,63}$/;

const NAME_RULE =
  'a secret name is 1 to 64 characters: a lowercase letter, then lowercase letters, digits, dots or hyphens';

/**
 * How values are kept at rest. Asynchronous because Electron's safeStorage is (its
 * synchronous calls are deprecated). Either call may throw or reject; the store catches.
 */
export interface SecretCodec {
  /** Written into the file, so a file is never decoded by the wrong codec. */
  readonly kind: string;
  encode(plain: string): Promise<string>;
  decode(stored: string): Promise<string>;
}

/** The browser target's codec: values in the clear, protected only by the file's mode. */
export const PLAIN_CODEC: SecretCodec = Object.freeze({
  kind: 'plain',
  encode: (plain: string) => Promise.resolve(plain),
  decode: (stored: string) => Promise.resolve(stored),
});

/**
 * For a system that offers no encryption (Electron's safeStorage without a keyring):
 * every write is refused with the reason, so no secret is ever kept in the clear there.
 */
export function unavailableCodec(reason: string): SecretCodec {
  const refuse = () => Promise.reject(new Error(reason));
  return Object.freeze({ kind: 'unavailable', encode: refuse, decode: refuse });
}

export interface SecretStore {
  has(name: SecretName): boolean;
  get(name: SecretName): string | null;
  /** Durable (written atomically and fsynced) before it answers ok. Calls apply in order. */
  set(name: SecretName, value: string): Promise<Result<null, string>>;
  delete(name: SecretName): Promise<Result<null, string>>;
  /**
   * Why the file could not be used, for the header; null when it was fine or absent. With
   * a problem the store holds no secrets and refuses to write, leaving the file as it is.
   */
  readonly problem: string | null;
}

export const SECRETS_FILE = 'secrets.json';

/** A handful of short strings; anything this large is not ours. */
const MAX_SECRETS_BYTES = 1024 * 1024;
const FORMAT_VERSION = 1;

const FILE_KEYS = ['codec', 'secrets', 'version'];

/**
 * The stored (encoded) values of a file in the form `#write` makes, or null. Checked by
 * hand rather than with z.record, which silently drops a `__proto__` key.
 */
function storedSecrets(json: unknown): Map<SecretName, string> | null {
  if (!isObject(json) || Object.keys(json).sort().join() !== FILE_KEYS.join()) return null;
  const secrets = json['secrets'];
  if (json['version'] !== FORMAT_VERSION || typeof json['codec'] !== 'string') return null;
  if (!isObject(secrets)) return null;
  const stored = new Map<SecretName, string>();
  // Bounded by the file's size cap.
  for (const [name, value] of Object.entries(secrets)) {
    if (!SECRET_NAME.test(name) || typeof value !== 'string') return null;
    stored.set(name, value);
  }
  return stored;
}

/**
 * Open `secrets.json` in the profile folder and decode it with `codec`. Never rejects: a
 * file that cannot be trusted or read gives a store with `problem` set.
 */
export async function openFileSecretStore(
  profileDir: string,
  codec: SecretCodec,
): Promise<SecretStore> {
  const file = path.join(profileDir, SECRETS_FILE);
  let loaded: Result<Map<SecretName, Entry>, string>;
  try {
    loaded = await load(file, codec);
  } catch (error) {
    // Last resort: nothing about a file may stop the app from starting. A codec's message
    // could quote what it was given, so it is not repeated here.
    loaded = err(`${SECRETS_FILE} could not be loaded (${errorName(error)})`);
  }
  return new FileSecretStore(profileDir, file, codec, loaded);
}

interface Entry {
  readonly plain: string;
  readonly stored: string;
}

class FileSecretStore implements SecretStore {
  readonly problem: string | null;
  readonly #dir: string;
  readonly #file: string;
  readonly #codec: SecretCodec;
  #entries: ReadonlyMap<SecretName, Entry>;
  /** The last queued change; each waits for the one before, so calls apply in order. */
  #tail: Promise<unknown> = Promise.resolve();

  constructor(
    dir: string,
    file: string,
    codec: SecretCodec,
    loaded: Result<Map<SecretName, Entry>, string>,
  ) {
    this.#dir = dir;
    this.#file = file;
    this.#codec = codec;
    this.#entries = loaded.ok ? loaded.value : new Map();
    this.problem = loaded.ok ? null : loaded.error;
  }

  has(name: SecretName): boolean {
    return this.#entries.has(name);
  }

  get(name: SecretName): string | null {
    return this.#entries.get(name)?.plain ?? null;
  }

  set(name: SecretName, value: string): Promise<Result<null, string>> {
    return this.#change(name, async () => {
      let stored: string;
      try {
        stored = await this.#codec.encode(value);
      } catch (error) {
        return err(
          `the secret "${name}" could not be encoded with ${this.#codec.kind} (${redact(error, value)})`,
        );
      }
      const next = new Map(this.#entries);
      next.set(name, { plain: value, stored });
      return this.#write(next);
    });
  }

  delete(name: SecretName): Promise<Result<null, string>> {
    return this.#change(name, () => {
      if (!this.#entries.has(name)) return Promise.resolve(ok(null));
      const next = new Map(this.#entries);
      next.delete(name);
      return Promise.resolve(this.#write(next));
    });
  }

  #change(
    name: SecretName,
    work: () => Promise<Result<null, string>>,
  ): Promise<Result<null, string>> {
    if (!SECRET_NAME.test(name)) return Promise.resolve(err(NAME_RULE));
    if (this.problem !== null) {
      return Promise.resolve(err(`secrets are unavailable: ${this.problem}`));
    }
    const run = this.#tail.then(work);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Write `entries` durably, then make them current; on an error nothing changes. */
  #write(entries: Map<SecretName, Entry>): Result<null, string> {
    const secrets = Object.fromEntries(
      [...entries].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, e]) => [name, e.stored]),
    );
    const text = `${JSON.stringify({ version: FORMAT_VERSION, codec: this.#codec.kind, secrets }, null, 2)}\n`;
    // The reader refuses larger files, so writing one would lose every secret.
    if (Buffer.byteLength(text) > MAX_SECRETS_BYTES) {
      return err(`${SECRETS_FILE} would be larger than 1 MiB`);
    }
    try {
      ensureProfileDir(this.#dir);
      writeAtomically(this.#file, text);
    } catch (error) {
      return err(`could not write ${this.#file}: ${errorMessage(error)}`);
    }
    this.#entries = entries;
    return ok(null);
  }
}

/** The secrets in `file`, decoded, or a sentence naming the file that says why not. */
async function load(
  file: string,
  codec: SecretCodec,
): Promise<Result<Map<SecretName, Entry>, string>> {
  const text = readTrusted(file);
  if (!text.ok) return text;
  const entries = new Map<SecretName, Entry>();
  if (text.value === null) return ok(entries);
  const unavailable = 'its secrets are unavailable and the file is left as it is';
  let json: unknown;
  try {
    json = JSON.parse(text.value);
  } catch {
    // JSON.parse's message quotes the text around the fault, which may be a secret.
    return err(`${SECRETS_FILE} is not valid JSON; ${unavailable}`);
  }
  const version = isObject(json) ? json['version'] : undefined;
  if (isObject(json) && typeof version === 'number' && version > FORMAT_VERSION) {
    return err(
      `${SECRETS_FILE} was written by a newer Callbridge (format ${version}); ${unavailable}`,
    );
  }
  const kind = isObject(json) ? json['codec'] : undefined;
  if (typeof kind === 'string' && kind !== codec.kind) {
    return err(
      `${SECRETS_FILE} was written with the ${JSON.stringify(kind.slice(0, 40))} codec but this Callbridge uses ${JSON.stringify(codec.kind)}; ${unavailable}`,
    );
  }
  const stored = storedSecrets(json);
  if (stored === null) {
    return err(`${SECRETS_FILE} is not in the form Callbridge writes; ${unavailable}`);
  }
  for (const [name, value] of stored) {
    try {
      entries.set(name, { plain: await codec.decode(value), stored: value });
    } catch (error) {
      return err(
        `${SECRETS_FILE}: the secret "${name}" could not be decoded with ${codec.kind} (${redact(error, value)}); ${unavailable}`,
      );
    }
  }
  return ok(entries);
}

/**
 * The file's text, null when it is absent, or why it must not be read. Opened once and
 * checked through the open descriptor, so the file checked is the file read.
 */
function readTrusted(file: string): Result<string | null, string> {
  const posix = process.platform !== 'win32';
  // No following a link to some other file; no blocking on a pipe put in its place.
  const flags =
    fs.constants.O_RDONLY | (posix ? fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK : 0);
  let fd: number;
  try {
    fd = fs.openSync(file, flags);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return ok(null);
    if (isErrno(error, 'ELOOP')) {
      return err(`${SECRETS_FILE} is a symbolic link, which is not trusted: ${file}`);
    }
    return err(`${SECRETS_FILE} could not be read (${errorMessage(error)})`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return err(`${SECRETS_FILE} is not a regular file: ${file}`);
    // Windows has ACLs, not these bits: fs reports a made-up mode and no owner there.
    if (posix) {
      const uid = process.getuid?.();
      if (uid !== undefined && stat.uid !== uid) {
        return err(
          `${file} belongs to another user (uid ${stat.uid}; Callbridge runs as uid ${uid}), so its secrets are not trusted; remove it or make it this user's file`,
        );
      }
      const mode = stat.mode & 0o777;
      if ((mode & 0o077) !== 0) {
        return err(
          `${file} has mode ${mode.toString(8).padStart(4, '0')}, which lets other users read it, so its secrets are not used; fix it with: chmod 600 ${file}`,
        );
      }
    }
    if (stat.size > MAX_SECRETS_BYTES) return err(`${SECRETS_FILE} is larger than 1 MiB`);
    return ok(fs.readFileSync(fd, 'utf8'));
  } catch (error) {
    return err(`${SECRETS_FILE} could not be read (${errorMessage(error)})`);
  } finally {
    fs.closeSync(fd);
  }
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}

/** For errors from fs, whose messages name paths and system calls, never file contents. */
function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/**
 * A codec's error message with `secret` cut out wherever it appears, then shortened
 * (after cutting, so no part of a secret is left at the edge).
 */
function redact(error: unknown, secret: string): string {
  const message = errorMessage(error);
  const cut = secret === '' ? message : message.split(secret).join('[secret]');
  return cut.length > 200 ? `${cut.slice(0, 200)}…` : cut;
}
