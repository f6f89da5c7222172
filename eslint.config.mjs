// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import callbridge from './lint/layers.mjs';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * The layout table of DESIGN.md, enforced. Each layer lists what it may not reach; the
 * few exceptions carry their reason here rather than as inline disables.
 */
const NODE_BUILTINS = [
  'node:*',
  'fs',
  'path',
  'os',
  'net',
  'http',
  'https',
  'child_process',
  'crypto',
  'url',
];

/** DESIGN.md, Layout: "Only renderer/sip/ imports jssip" -- every other file, tests included. */
const JSSIP = {
  group: ['jssip'],
  message: 'Only renderer/sip/ imports JsSIP (DESIGN.md, Layout).',
};

const UI_LIBRARIES = ['react', 'react-dom', 'zustand'];

const RENDERER_NO_ELECTRON = {
  group: ['electron'],
  message: 'The renderer reaches Electron only through the preload bridge.',
};

/** What the renderer may not reach; renderer/sip/ shares it all, only JsSIP differs. */
const RENDERER_BANS = [
  { group: NODE_BUILTINS, message: 'The renderer has no Node.' },
  RENDERER_NO_ELECTRON,
];

/** @typedef {{ group: string[], message: string }[]} Patterns */

/**
 * Flat config does not merge two no-restricted-imports entries that match one file: the
 * later block's list replaces the earlier one. So every block states its whole list, and
 * this helper appends the JsSIP ban to each, which a new block cannot then forget.
 */
const restrict = (/** @type {Patterns} */ patterns) => ({
  'no-restricted-imports': ['error', { patterns: [...patterns, JSSIP] }],
});

/** The one exception to the JsSIP ban: renderer/sip/ is the JsSIP engine. */
const restrictAllowingJssip = (/** @type {Patterns} */ patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
});

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'out/', '.tsbuild/', 'e2e/artifacts/', '.ci/'],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Listed rather than found: unit tests belong to e2e/tsconfig.json, not to the
        // tsconfig of the folder they sit in, and the project service would not find them.
        project: [
          './shared/tsconfig.json',
          './electron/core/tsconfig.json',
          './electron/tsconfig.json',
          './renderer/tsconfig.json',
          './e2e/tsconfig.json',
        ],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { callbridge },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // `() => resolve()` callbacks are idiomatic; statements returning void still count.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after'],
            },
          ],
        },
      ],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'callbridge/layers': 'error',
      // Layers without a block of their own below (e2e, bench, scripts, lint, bin) may
      // import any package but JsSIP.
      ...restrict([]),
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { ...globals.node },
    },
  },
  {
    // Pure model, protocols and contract: no Node, DOM, Electron, React or JsSIP.
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts', 'shared/**/*.test-support.ts'],
    rules: restrict([
      { group: NODE_BUILTINS, message: 'shared/ is pure: no Node built-ins.' },
      { group: ['electron', ...UI_LIBRARIES], message: 'shared/ is pure.' },
    ]),
  },
  {
    // Unit tests of shared/ run under node:test; they may use its runner and assert.
    files: ['shared/**/*.test.ts', 'shared/**/*.test-support.ts'],
    rules: restrict([{ group: ['electron', ...UI_LIBRARIES], message: 'shared/ is pure.' }]),
  },
  {
    // The Electron shell: every folder of electron/ but core/, which has its block below.
    files: ['electron/**/*.ts'],
    ignores: ['electron/core/**'],
    rules: restrict([{ group: UI_LIBRARIES, message: 'UI libraries belong to renderer/.' }]),
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: restrict([
      { group: ['electron'], message: 'electron/core/ runs without the Electron binary.' },
      { group: UI_LIBRARIES, message: 'UI libraries belong to renderer/.' },
    ]),
  },
  {
    // renderer/sip/ included: it gets the DOM globals, the hooks rules and the bans too.
    files: ['renderer/**/*.{ts,tsx}'],
    // Unit tests of the store run under node:test, which they may import.
    ignores: ['renderer/**/*.test.ts'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict(RENDERER_BANS),
    },
  },
  {
    // Exception: renderer/sip/ is the JsSIP engine (DESIGN.md, Layout). Replaces the list
    // above with the same bans minus JsSIP.
    files: ['renderer/sip/**/*.{ts,tsx}'],
    ignores: ['renderer/**/*.test.ts'],
    rules: restrictAllowingJssip(RENDERER_BANS),
  },
  {
    files: ['renderer/**/*.test.ts'],
    rules: restrict([RENDERER_NO_ELECTRON]),
  },
  {
    // Exception: the SIP engine's unit tests sit next to it and exercise JsSIP.
    files: ['renderer/sip/**/*.test.ts'],
    rules: restrictAllowingJssip([RENDERER_NO_ELECTRON]),
  },
  {
    // Exception: the Vite configs run in Node at build time; JsSIP stays banned.
    files: ['renderer/vite.config.ts', 'vite.config.ts'],
    rules: restrict([]),
  },
);
