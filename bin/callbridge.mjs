#!/usr/bin/env node
// The `callbridge` command line. Node 24 runs the TypeScript sources directly; npm scripts
// and npx put the project's Node 24 (the `node` devDependency) first on PATH.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `callbridge needs Node 22.18 or newer (this is ${process.version}); run it through npx or npm scripts, which use the project's Node 24.`,
  );
  process.exit(1);
}
const { main } = await import('../electron/core/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
