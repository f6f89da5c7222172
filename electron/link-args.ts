/**
 * Which command-line arguments of the Electron app are links to act on. The app registers
 * itself as the handler of these schemes with `--` before the link (CVE-2018-1000006:
 * Chromium takes no switch after `--`), on every platform, so only what follows the first
 * `--` can be a link: a link-shaped argument before it was not put there by the system's
 * handler and is ignored. Chromium may add its own switches to a second instance's argv,
 * before `--`. Pure, so the rule is unit-tested without Electron; every link found is still
 * read by the links parser in the core before anything acts on it.
 */

/** The schemes the app registers with the system, as the browser target's entry does. */
export { REGISTERED_SCHEMES } from './core/cli/register-links.ts';

/** One click gives one link; a few more are taken, a flood is not. */
export const MAX_LINKS = 4;

const LINK = /^(tel|callto|sips?|voispeed):/iu;

export function linksFromArgv(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  if (end < 0) return [];
  return argv
    .slice(end + 1)
    .filter((arg) => LINK.test(arg))
    .slice(0, MAX_LINKS);
}

/**
 * The arguments to register for each scheme: `--` before the link. A development run
 * (`electron .`) must also name the app folder, which then comes first.
 */
export function handlerArguments(appPath: string | null): string[] {
  return appPath === null ? ['--'] : [appPath, '--'];
}
