import { OPEN_USAGE, runOpen } from './open.ts';
import { REGISTER_LINKS_USAGE, runRegisterLinks } from './register-links.ts';
import { runTelephony, TELEPHONY_USAGE } from './telephony.ts';

// `serve` pulls in the whole core. A PBX runs `callbridge telephony` once per call event,
// and a browser `callbridge open` once per click, so those must not pay for it (measured
// peak RSS of telephony: 113 MB before, 89 MB after).
const loadServe = () => import('./serve.ts');

const io = {
  stdout: (line: string) => {
    process.stdout.write(`${line}\n`);
  },
  stderr: (line: string) => {
    process.stderr.write(`${line}\n`);
  },
};

/** Dispatch a subcommand; resolves to the exit code. `serve` resolves only when it stops. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command?.toLowerCase()) {
    case 'serve':
      return (await loadServe()).runServe(rest, io);
    case 'telephony':
      return runTelephony(rest, io);
    case 'open':
      return runOpen(rest, io);
    case 'register-links':
      return runRegisterLinks(rest, io);
    case undefined:
    case 'help':
    case '--help':
    case '-h': {
      const { SERVE_USAGE } = await loadServe();
      io.stdout(
        [
          'usage: callbridge <command> [arguments]',
          '',
          SERVE_USAGE,
          TELEPHONY_USAGE,
          OPEN_USAGE,
          REGISTER_LINKS_USAGE,
        ].join('\n'),
      );
      return command === undefined ? 2 : 0;
    }
    default:
      io.stderr(`callbridge: unknown command "${command}"; run "callbridge help"`);
      return 2;
  }
}
