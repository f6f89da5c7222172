import { createServer } from 'node:http';

/**
 * The memory benchmark's baseline (bench/core-memory.ts): the least a Node 24 process
 * started the way `callbridge serve` is (same binary, same flags, a .ts entry run through
 * type stripping) can be while it serves HTTP on loopback. It answers every request with
 * OK, so the bench can push it as many requests as it pushes the core.
 *
 * No type annotations on purpose: Node strips every .ts file it loads whatever it holds,
 * and the bench also runs this same text as plain JavaScript (`--input-type=module -e`) to
 * show what type stripping itself costs.
 */
const server = createServer((_request, response) => {
  response.end('OK\n');
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`Ready: ${typeof address === 'object' && address ? address.port : 0}`);
});
