// @ts-check
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

/**
 * The import bans of the real eslint.config.mjs, proven on texts linted in memory as if
 * they sat at the given paths. Those files do not exist, and the config's type-aware
 * parsing (parserOptions.project) fails with a fatal "none of those TSConfigs include this
 * file" for a path no tsconfig's program holds. The override below turns type information
 * off for these texts only; it is appended after the real config, so every other block
 * (layers, no-restricted-imports, react-hooks, globals) still applies exactly as in
 * `eslint .`, and none of the rules under test needs types.
 */
const repoRoot = join(import.meta.dirname, '..');

/** @type {ESLint} */
let eslint;

/**
 * Lints `code` as the file at `path` (relative to the repository root) and returns its
 * messages as `ruleId: message` lines, so a failure shows all of them.
 */
const lint = async (/** @type {string} */ path, /** @type {string} */ code) => {
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, path) });
  assert.ok(result, `no result for ${path}`);
  return result.messages.map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`);
};

const passes = async (/** @type {string} */ path, /** @type {string} */ code) => {
  assert.deepEqual(await lint(path, code), []);
};

/** Exactly one no-restricted-imports error for `specifier`, whose reason mentions `why`. */
const banned = async (
  /** @type {string} */ path,
  /** @type {string} */ specifier,
  /** @type {string} */ why,
) => {
  const messages = await lint(path, `import '${specifier}';\n`);
  assert.equal(messages.length, 1, messages.join('\n'));
  assert.match(messages[0] ?? '', new RegExp(`^no-restricted-imports: '${specifier}' import`));
  assert.ok(messages[0]?.includes(why), messages[0]);
};

const JSSIP_REASON = 'Only renderer/sip/ imports JsSIP';

describe('eslint.config.mjs import bans', () => {
  before(() => {
    eslint = new ESLint({
      cwd: repoRoot,
      overrideConfig: [{ files: ['**/*.{ts,tsx}'], ...tseslint.configs.disableTypeChecked }],
    });
  });

  it('lets renderer/sip/ import JsSIP, and its unit tests too', async () => {
    await passes('renderer/sip/x.ts', "import 'jssip';\n");
    await passes('renderer/sip/x.tsx', "import 'jssip';\n");
    await passes('renderer/sip/x.test.ts', "import 'jssip';\n");
  });

  it('keeps every other renderer ban in renderer/sip/', async () => {
    await banned('renderer/sip/x.ts', 'node:fs', 'The renderer has no Node.');
    await banned('renderer/sip/x.ts', 'fs', 'The renderer has no Node.');
    await banned('renderer/sip/x.ts', 'electron', 'through the preload bridge');
    await banned('renderer/sip/x.test.ts', 'electron', 'through the preload bridge');
  });

  it('gives renderer/sip/ the react-hooks rules', async () => {
    const messages = await lint(
      'renderer/sip/x.tsx',
      "import { useState } from 'react';\nexport function Card(p: { on: boolean }) {\n  if (p.on) useState(0);\n  return null;\n}\n",
    );
    assert.equal(messages.length, 1, messages.join('\n'));
    assert.match(messages[0] ?? '', /^react-hooks\/rules-of-hooks: /);
  });

  it('bans JsSIP in the renderer outside renderer/sip/', async () => {
    await banned('renderer/components/x.tsx', 'jssip', JSSIP_REASON);
    await banned('renderer/store/x.ts', 'jssip', JSSIP_REASON);
    await banned('renderer/store/x.test.ts', 'jssip', JSSIP_REASON);
    // A path that merely starts like sip/ is not the engine.
    await banned('renderer/sipx/x.ts', 'jssip', JSSIP_REASON);
  });

  it('bans JsSIP, deep imports included, in every other layer', async () => {
    for (const path of [
      'shared/x.ts',
      'shared/x.test.ts',
      'electron/core/x.ts',
      'electron/core/x.test.ts',
      'electron/x.ts',
      'electron/windows/x.ts',
      'e2e/x.test.ts',
      'bench/x.ts',
      'vite.config.ts',
      'renderer/vite.config.ts',
      'scripts/x.mjs',
      'lint/x.mjs',
      'bin/x.mjs',
    ]) {
      await banned(path, 'jssip', JSSIP_REASON);
    }
    await banned('electron/x.ts', 'jssip/lib/UA', JSSIP_REASON);
  });

  it('keeps shared/ pure and electron/core/ free of Electron', async () => {
    await banned('shared/x.ts', 'node:fs', 'shared/ is pure: no Node built-ins.');
    await banned('shared/x.ts', 'electron', 'shared/ is pure.');
    await banned('shared/x.ts', 'react', 'shared/ is pure.');
    await banned('electron/core/x.ts', 'electron', 'runs without the Electron binary');
    await banned('electron/core/x.ts', 'react', 'UI libraries belong to renderer/.');
    await banned('electron/windows/x.ts', 'zustand', 'UI libraries belong to renderer/.');
  });

  it('allows what each layer is meant to import', async () => {
    await passes('electron/core/x.ts', "import 'node:fs';\n");
    await passes('electron/x.ts', "import 'electron';\n");
    await passes('shared/x.test.ts', "import 'node:test';\n");
    await passes('renderer/store/x.test.ts', "import 'node:test';\n");
    await passes('vite.config.ts', "import 'node:path';\n");
    await passes('renderer/vite.config.ts', "import 'node:path';\n");
    await passes('renderer/components/x.tsx', "import 'react';\n");
  });
});
