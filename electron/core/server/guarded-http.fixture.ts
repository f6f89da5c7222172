import fs from 'node:fs';
import { GuardedHttp } from './guarded-http.ts';
import type { PortPolicy } from './port-policy.ts';

/**
 * Child process for the load tests in guarded-http.load.test.ts: a GuardedHttp that answers
 * 200 to every request that passes its guards. In a process of its own, so that the load
 * generator and the server do not take turns on one event loop. Prints `{"port":N}`, then
 * serves until its stdin closes.
 *
 * Usage: node guarded-http.fixture.ts '<PortPolicy as JSON>'
 */
const policy = JSON.parse(
  process.argv[2] ?? '{"port":0,"allowFrom":[],"hostNames":[]}',
) as PortPolicy;
const opened = await GuardedHttp.open({
  policy,
  crossSite: 'clicked-navigation',
  handle: (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('OK\n');
  },
});
if (!opened.ok) {
  fs.writeSync(2, `${opened.error}\n`);
  process.exit(1);
}
fs.writeSync(1, `${JSON.stringify({ port: opened.value.port })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void opened.value.close().then(() => process.exit(0));
});
