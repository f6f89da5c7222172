import { request } from 'node:http';

/**
 * One HTTP request from a command-line tool to a port of ours on this computer (or a
 * listen port elsewhere), bounded in time and in what it reads back. node:http sends no
 * Origin and Host as HOST:PORT: exactly what our ports accept from a script.
 */

export type Outcome =
  | {
      readonly kind: 'answered';
      readonly status: number;
      readonly reason: string;
      readonly body: string;
    }
  | { readonly kind: 'refused' }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'failed'; readonly detail: string };

export interface Sent {
  readonly hostname: string;
  readonly port: number;
  readonly path: string;
  readonly method: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
}

/** Only so much of an answer is kept; our ports answer with a line or a small JSON object. */
const BODY_LIMIT = 4096;

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code: unknown = 'code' in error ? error.code : undefined;
  if (typeof code === 'string') return code;
  // With autoSelectFamily, `localhost` tries ::1 and 127.0.0.1 and fails with both errors.
  if (error instanceof AggregateError) return errorCode((error.errors as unknown[])[0]);
  return undefined;
}

export function send({ hostname, port, path, method, headers, body, timeoutMs }: Sent) {
  return new Promise<Outcome>((resolve) => {
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
      call = request({ hostname, port, path, method, headers, agent: false }, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < BODY_LIMIT) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          finish({ kind: 'answered', status, reason: response.statusMessage ?? '', body: text });
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
    call.end(body);
  });
}

/** The first non-empty line of a body, cut and cleaned so that stderr gets one line. */
export function firstLine(body: string): string {
  const line = body.split(/\r?\n/).find((text) => text.trim() !== '') ?? '';
  const clean = line.replace(/\p{Cc}/gu, ' ').trim();
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}
