import { runServe, SERVE_USAGE } from './serve.ts';
import { runTelephony, TELEPHONY_USAGE } from './telephony.ts';

const USAGE = ['usage: callbridge <command> [arguments]', '', SERVE_USAGE, TELEPHONY_USAGE].join(
  '\n',
);

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
      return runServe(rest, io);
    case 'telephony':
      return runTelephony(rest, io);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.stdout(USAGE);
      return command === undefined ? 2 : 0;
    default:
      io.stderr(`callbridge: unknown command "${command}"; run "callbridge help"`);
      return 2;
  }
}
