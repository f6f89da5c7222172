import fs from 'node:fs';
import path from 'node:path';
import { err, ok, type Result } from '../../../../shared/result.ts';
import { TOKEN_PATTERN } from '../../server/token.ts';

/**
 * `<profile>/local-api.json`: where the running core's local API listens and the token it
 * asks for, `{ "port": 41234, "token": "…" }`. The links door writes it owner-only (0600) once
 * the API listens and removes it when it closes; `callbridge open` reads it. Only node:fs
 * here: `callbridge open` must start fast and never load the core.
 */

export const LOCAL_API_FILE = 'local-api.json';

export interface LocalApiAddress {
  readonly port: number;
  readonly token: string;
}

/** The file is tiny; anything larger was not written by us. */
const FILE_LIMIT = 4096;

export const localApiFile = (profileDir: string): string => path.join(profileDir, LOCAL_API_FILE);

/** The file's content as the door writes it. */
export const formatLocalApiFile = ({ port, token }: LocalApiAddress): string =>
  `${JSON.stringify({ port, token })}\n`;

/**
 * What the file says; null when there is none (no Callbridge runs on this profile); or a
 * sentence saying why it is not used. It must be a regular file of this user's that no one
 * else can read (the token in it dials), not a link to one: opened once, checked through
 * the open descriptor.
 */
export function readLocalApiFile(profileDir: string): Result<LocalApiAddress | null, string> {
  const file = localApiFile(profileDir);
  const posix = process.platform !== 'win32';
  const flags =
    fs.constants.O_RDONLY | (posix ? fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK : 0);
  let fd: number;
  try {
    fd = fs.openSync(file, flags);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    if (code === 'ENOENT') return ok(null);
    if (code === 'ELOOP') return err(`${file} is a symbolic link, which is not trusted`);
    return err(`${file} could not be read (${error instanceof Error ? error.message : ''})`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile() || stat.size > FILE_LIMIT) return err(`${file} is not a local API file`);
    // Windows has ACLs, not these bits: fs reports a made-up mode and no owner there.
    if (posix) {
      const uid = process.getuid?.();
      if (uid !== undefined && stat.uid !== uid) return err(`${file} belongs to another user`);
      if ((stat.mode & 0o077) !== 0) {
        return err(`${file} can be read by other users, so its token is not used; chmod 600 it`);
      }
    }
    return parse(file, fs.readFileSync(fd, 'utf8'));
  } finally {
    fs.closeSync(fd);
  }
}

function parse(file: string, text: string): Result<LocalApiAddress, string> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return err(`${file} is not valid JSON`);
  }
  if (typeof json !== 'object' || json === null) return err(`${file} is not a local API file`);
  const port: unknown = 'port' in json ? json.port : undefined;
  const token: unknown = 'token' in json ? json.token : undefined;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    return err(`${file} names no port`);
  }
  if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return err(`${file} holds no token`);
  return ok({ port, token });
}
