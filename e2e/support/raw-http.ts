import { connect } from 'node:net';

/**
 * Send bytes to a port and collect what comes back until the server closes the socket.
 * For requests fetch() would not send as written (a forged Host, a 100 kB line, a client
 * that stops half-way). Bounded by `timeoutMs`.
 */
export function rawRequest(
  port: number,
  text: string,
  options: { timeoutMs?: number; endInput?: boolean } = {},
): Promise<{ response: string; closedByServer: boolean; elapsedMs: number }> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const socket = connect(port, '127.0.0.1');
    let response = '';
    const timer = setTimeout(() => {
      socket.destroy();
      done({ response, closedByServer: false, elapsedMs: performance.now() - started });
    }, options.timeoutMs ?? 10_000);
    socket.on('data', (chunk) => {
      response += chunk.toString();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return;
      clearTimeout(timer);
      fail(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      done({ response, closedByServer: true, elapsedMs: performance.now() - started });
    });
    socket.write(text);
    if (options.endInput) socket.end();
  });
}

export const statusOf = (response: string): number =>
  Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
