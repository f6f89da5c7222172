// Bundles the Electron shell into out/electron/:
//   main.js       ESM main process (package.json "main"), the core and shared/ inlined
//   preload.cjs   one CommonJS file: a sandboxed preload can require('electron') and
//                 nothing of ours, so shared/ and zod are inlined
//   icons/        the tray and window icons, copied from build/shell/
// `electron` and Node built-ins stay external. Runs without the Electron binary.
import { cp, readFile, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { build } from 'vite';

const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'out', 'electron');

const nodeBuiltin = (id) =>
  id.startsWith('node:') || builtinModules.includes(id.split('/')[0] ?? id);
// ws probes for these optional native add-ons in a try/catch; they are never installed.
const optionalAddons = new Set(['bufferutil', 'utf-8-validate']);

/** @param {{ entry: string, fileName: string, format: 'es' | 'cjs', external: (id: string) => boolean }} bundle */
async function bundle({ entry, fileName, format, external }) {
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    publicDir: false,
    ssr: { target: 'node', noExternal: true },
    build: {
      ssr: path.join(root, entry),
      outDir,
      emptyOutDir: false,
      target: 'es2023',
      minify: false,
      sourcemap: true,
      reportCompressedSize: false,
      rolldownOptions: {
        external,
        output: { format, entryFileNames: fileName, codeSplitting: false },
      },
    },
  });
}

/** The bundle may only reach what the process it runs in provides. */
async function assertOnlyImports(fileName, allowed) {
  const code = await readFile(path.join(outDir, fileName), 'utf8');
  const specifiers = [
    ...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g),
    ...code.matchAll(/^\s*import\s[^'"]*?\bfrom\s*["']([^"']+)["']/gm),
    ...code.matchAll(/^\s*import\s*["']([^"']+)["']/gm),
    ...code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
  ].map((match) => match[1] ?? '');
  const stray = [...new Set(specifiers)].filter((id) => !allowed(id));
  if (stray.length > 0) {
    throw new Error(`${fileName} reaches modules its process cannot load: ${stray.join(', ')}`);
  }
}

await rm(outDir, { recursive: true, force: true });

const mainExternal = (id) => id === 'electron' || nodeBuiltin(id) || optionalAddons.has(id);
await bundle({
  entry: 'electron/main.ts',
  fileName: 'main.js',
  format: 'es',
  external: mainExternal,
});
await assertOnlyImports('main.js', mainExternal);

const preloadExternal = (id) => id === 'electron';
await bundle({
  entry: 'electron/preload.ts',
  fileName: 'preload.cjs',
  format: 'cjs',
  external: preloadExternal,
});
await assertOnlyImports('preload.cjs', preloadExternal);

await cp(path.join(root, 'build', 'shell'), path.join(outDir, 'icons'), { recursive: true });

console.log(`Electron shell built: ${path.relative(root, outDir)}/{main.js,preload.cjs,icons/}`);
