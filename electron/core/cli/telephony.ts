import { request } from 'node:http';
import { formatSeasonOfficeError } from '../../../shared/protocols/season-office.ts';
import { parseTelephonyArgs } from '../../../shared/protocols/season-office-args.ts';

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

/** Only the first line of an error body is shown; a listen port answers with one line. */
const BODY_LIMIT = 4096;

type Io = { stdout: (line: string) => void; stderr: (line: string) => void };

type Outcome =
  | {
      readonly kind: 'answered';
      readonly status: number;
      readonly reason: string;
      readonly body: string;
    }
  | { readonly kind: 'refused' }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'failed'; readonly detail: string };

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code: unknown = 'code' in error ? error.code : undefined;
  if (typeof code === 'string') return code;
  // With autoSelectFamily, `localhost` tries ::1 and 127.0.0.1 and fails with both errors.
  if (error instanceof AggregateError) return errorCode((error.errors as unknown[])[0]);
  return undefined;
}

function get(hostname: string, port: number, path: string, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    let settled = false;
    let call: ReturnType<typeof request> | undefined;
    const finish = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      finish({ kind: 'timeout' });
      call?.destroy();
    }, timeoutMs);
    try {
      // No Origin, and Node sends Host as HOST:PORT: exactly what the listen port accepts.
      call = request({ hostname, port, path, method: 'GET', agent: false }, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < BODY_LIMIT) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          finish({ kind: 'answered', status, reason: response.statusMessage ?? '', body });
        });
        response.on('error', (error) => {
          finish({ kind: 'failed', detail: error.message });
        });
      });
    } catch (error) {
      finish({ kind: 'failed', detail: error instanceof Error ? error.message : String(error) });
      return;
    }
    call.on('error', (error) => {
      const code = errorCode(error);
      if (code === 'ECONNREFUSED') finish({ kind: 'refused' });
      else finish({ kind: 'failed', detail: code ?? error.message });
    });
    call.end();
  });
}

/** The first non-empty line of a body, cut and cleaned so that stderr gets one line. */
function firstLine(body: string): string {
  const line = body.split(/\r?\n/).find((text) => text.trim() !== '') ?? '';
  const clean = line.replace(/\p{Cc}/gu, ' ').trim();
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}

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
  const outcome = await get(hostname, port, `/telephony?${query}`, timeoutMs);
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
