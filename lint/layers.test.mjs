// @ts-check
import { describe, it } from 'node:test';
import { basename, join } from 'node:path';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import callbridge from './layers.mjs';

/**
 * Rule tests for callbridge/layers. The rule takes context.cwd as the repository root, and
 * RuleTester has no cwd option: its Linter is built without one, so context.cwd is
 * process.cwd(). The rule never reads the disk, so each case's file sits under
 * process.cwd() wherever the test runs from, and `at` names it relative to that root.
 */
const at = (/** @type {string} */ path) => join(process.cwd(), path);

// node:test instead of mocha's globals.
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

// The TypeScript parser, without type information: the rule reads only syntax, and
// `import type` must be checked like any other import.
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });
const rule = callbridge.rules.layers;

/** One error whose message starts with `prefix`. */
const crossing = (/** @type {string} */ from, /** @type {string} */ target) => [
  { message: new RegExp(`^${from} may not import ${target} \\(DESIGN\\.md, Layout`) },
];
/** A sibling checkout of this repository, named so it can never be the repository itself. */
const SIBLING = `../../${basename(process.cwd())}-sibling`;

const outside = (/** @type {string} */ file, /** @type {string} */ specifier) => [
  { message: `${file} may not import ${specifier}: it lies outside the repository.` },
];
const noLayer = (/** @type {string} */ file) => [
  {
    message: `${file} fits no layer of DESIGN.md's layout table; move it or add the layer to lint/layers.mjs.`,
  },
];

tester.run('callbridge/layers', rule, {
  valid: [
    // shared/ imports only shared/.
    { filename: at('shared/protocols/tapi.ts'), code: "import { ok } from '../result';" },
    // electron/core/ imports shared/ and itself.
    {
      filename: at('electron/core/server/local-server.ts'),
      code: "import { ok } from '../../../shared/result';\nimport { guard } from './http-guard';",
    },
    // The shell imports shared/, electron/core/ and itself, from any folder of electron/.
    {
      filename: at('electron/main.ts'),
      code: "import { core } from './core/core';\nimport { ok } from '../shared/result';\nimport { origin } from './app-origin';",
    },
    {
      filename: at('electron/windows/main-window.ts'),
      code: "import { core } from '../core/core';",
    },
    // The renderer imports shared/ and itself; renderer/sip/ is part of it.
    {
      filename: at('renderer/components/LineCard.tsx'),
      code: "import { ok } from '../../shared/result';\nimport { useStore } from '../store/store';\nimport { engine } from '../sip/engine';",
    },
    // The layers that may import anything, shown reaching a layer they exercise.
    { filename: at('e2e/start.test.ts'), code: "import { core } from '../electron/core/core';" },
    { filename: at('bench/alert-latency.ts'), code: "import { parse } from '../shared/parse';" },
    { filename: at('scripts/start.mjs'), code: "import { main } from '../electron/main';" },
    { filename: at('lint/layers.test.mjs'), code: "import layers from './layers.mjs';" },
    {
      filename: at('bin/callbridge.mjs'),
      code: "import { cli } from '../electron/core/cli/main';",
    },
    // The root's tool configs fit no layer and are exempt.
    { filename: at('vite.config.ts'), code: "import { x } from './renderer/x';" },
    { filename: at('eslint.config.mjs'), code: "import callbridge from './lint/layers.mjs';" },
    // Bare specifiers are no-restricted-imports' job, not this rule's.
    { filename: at('shared/model.ts'), code: "import { z } from 'zod';\nimport 'node:fs';" },
    // Exports without a source, and import() of a computed specifier, are not checked.
    { filename: at('shared/model.ts'), code: 'export const a = 1;\nexport { a as b };' },
    { filename: at('shared/model.ts'), code: 'const name = "x";\nvoid import(name);' },
  ],
  invalid: [
    // One crossing per layer that has a boundary inside the repository.
    {
      filename: at('shared/model.ts'),
      code: "import { store } from '../renderer/store/store';",
      errors: crossing('shared/', 'renderer/store/store'),
    },
    {
      // The core is plain Node: it may not reach the shell that wraps it.
      filename: at('electron/core/core.ts'),
      code: "import { tray } from '../tray';",
      errors: crossing('electron/core/', 'electron/tray'),
    },
    {
      filename: at('electron/main.ts'),
      code: "import { App } from '../renderer/App';",
      errors: crossing('electron/', 'renderer/App'),
    },
    {
      filename: at('renderer/store/store.ts'),
      code: "import { core } from '../../electron/core/core';",
      errors: crossing('renderer/', 'electron/core/core'),
    },
    {
      filename: at('renderer/sip/engine.ts'),
      code: "import { main } from '../../electron/main';",
      errors: crossing('renderer/', 'electron/main'),
    },
    // The layers that may import anything still may not leave the repository (a sibling
    // worktree, for one).
    ...['e2e/x.test.ts', 'bench/x.ts', 'scripts/x.mjs', 'lint/x.mjs', 'bin/x.mjs'].map((file) => ({
      filename: at(file),
      code: `import { core } from '${SIBLING}/electron/core/core';`,
      errors: outside(file, `${SIBLING}/electron/core/core`),
    })),
    {
      filename: at('shared/model.ts'),
      code: "import { x } from '../../elsewhere/x';",
      errors: outside('shared/model.ts', '../../elsewhere/x'),
    },
    // Files that fit no layer, including names that only look like a layer's folder.
    { filename: at('build/icon.ts'), code: 'export {};', errors: noLayer('build/icon.ts') },
    { filename: at('tool.config.ts'), code: 'export {};', errors: noLayer('tool.config.ts') },
    { filename: at('e2efoo/x.ts'), code: 'export {};', errors: noLayer('e2efoo/x.ts') },
    { filename: at('sharedx/x.ts'), code: 'export {};', errors: noLayer('sharedx/x.ts') },
    { filename: at('electron-x/x.ts'), code: 'export {};', errors: noLayer('electron-x/x.ts') },
    // Every node kind that carries a specifier.
    {
      filename: at('shared/model.ts'),
      code: "import type { Store } from '../renderer/store/store';",
      errors: crossing('shared/', 'renderer/store/store'),
    },
    {
      filename: at('shared/model.ts'),
      code: "import '../renderer/styles.css';",
      errors: crossing('shared/', 'renderer/styles.css'),
    },
    {
      filename: at('shared/model.ts'),
      code: "export { store } from '../renderer/store/store';",
      errors: crossing('shared/', 'renderer/store/store'),
    },
    {
      filename: at('shared/model.ts'),
      code: "export * from '../renderer/store/store';",
      errors: crossing('shared/', 'renderer/store/store'),
    },
    {
      filename: at('shared/model.ts'),
      code: "export * as store from '../renderer/store/store';",
      errors: crossing('shared/', 'renderer/store/store'),
    },
    {
      filename: at('shared/model.ts'),
      code: "void import('../renderer/store/store');",
      errors: crossing('shared/', 'renderer/store/store'),
    },
    {
      filename: at('shared/model.ts'),
      code: 'void import(`../renderer/store/store`);',
      errors: crossing('shared/', 'renderer/store/store'),
    },
    {
      // Each crossing is reported at its own specifier.
      filename: at('shared/model.ts'),
      code: "import { ok } from './result';\nimport { a } from '../electron/a';\nimport { b } from '../renderer/b';",
      errors: [
        { line: 2, column: 19, message: /^shared\/ may not import electron\/a / },
        { line: 3, column: 19, message: /^shared\/ may not import renderer\/b / },
      ],
    },
  ],
});
