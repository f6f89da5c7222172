import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The profile folder `serve`, `open` and `register-links` use when no `--profile` is given:
 * `$XDG_CONFIG_HOME/callbridge`, else `~/.config/callbridge`. Its own module, so that the
 * light commands need not load `serve` and with it the core.
 */
export function defaultProfileDir(): string {
  const config = process.env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config');
  return join(config, 'callbridge');
}
