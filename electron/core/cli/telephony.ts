import { formatSeasonOfficeError } from '../../../shared/protocols/season-office.ts';
import { parseTelephonyArgs } from '../../../shared/protocols/season-office-args.ts';
import { firstLine, send } from './http-client.ts';

/**
 * `callbridge telephony`: a drop-in for Season Office's TelephonyIntegration.exe, for PBXs
 * that can launch a program but not send an HTTP request. It reads the same command line
 * and sends the same `GET /telephony?...` to a listen port (Callbridge's or Season Office's).
 */

export const TELEPHONY_USAGE = `  callbridge telephony HOST:PORT [line=N] [no=NUMBER] action=ACTION [callerid=NAME]
      Send a Season Office event to a listen port, as TelephonyIntegration.exe does.
      Keys, long or short, any case: NO (N), LINE (L), CALLERID (I), ACTION (A).
      Actions: INCOMING (I), ESTABLISHED (E), ONHOLD (H), HOLDRESUME (R), LINESELECT (L),
      TERMINATED (T). Exit codes: 0 sent, 2 bad arguments, 3 no listen port, 4 refused.
      e.g. callbridge telephony localhost:5555 line=1 no=012345678901 action=incoming callerid=Datos`;

const USAGE_HINT = 'usage: callbridge telephony HOST:PORT key=value ... (callbridge help)';

export const TELEPHONY_TIMEOUT_MS = 5_000;

type Io = { stdout: (line: string) => void; stderr: (line: string) => void };

export async function runTelephony(
  argv: readonly string[],
  io: Io,
  options: { readonly timeoutMs?: number } = {},
): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) {
    io.stdout(TELEPHONY_USAGE);
    return 0;
  }
  const parsed = parseTelephonyArgs(argv);
  if (!parsed.ok) {
    io.stderr(`callbridge telephony: ${formatSeasonOfficeError(parsed.error)}; ${USAGE_HINT}`);
    return 2;
  }
  const { host, port, query } = parsed.value;
  const address = `${host}:${port}`;
  const hostname = host.startsWith('[') ? host.slice(1, -1) : host;
  const timeoutMs = options.timeoutMs ?? TELEPHONY_TIMEOUT_MS;
  const path = `/telephony?${query}`;
  const outcome = await send({ hostname, port, path, method: 'GET', timeoutMs });
  switch (outcome.kind) {
    case 'answered': {
      if (outcome.status >= 200 && outcome.status < 300) return 0;
      const text = firstLine(outcome.body) || outcome.reason;
      io.stderr(
        `callbridge telephony: ${address} refused the event: HTTP ${outcome.status} ${text}`,
      );
      return 4;
    }
    case 'refused':
      io.stderr(
        `callbridge telephony: no Callbridge listen port at ${address} (connection refused)`,
      );
      return 3;
    case 'timeout':
      io.stderr(
        `callbridge telephony: no answer from ${address} within ${timeoutMs / 1000} s (timed out)`,
      );
      return 3;
    case 'failed':
      io.stderr(`callbridge telephony: could not reach ${address} (${outcome.detail})`);
      return 3;
  }
}
