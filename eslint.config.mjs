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

const restrict = (/** @type {{ group: string[], message: string }[]} */ patterns) => ({
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
      {
        group: ['electron', 'react', 'react-dom', 'jssip', 'zustand'],
        message: 'shared/ is pure.',
      },
    ]),
  },
  {
    // Unit tests of shared/ run under node:test; they may use its runner and assert.
    files: ['shared/**/*.test.ts', 'shared/**/*.test-support.ts'],
    rules: restrict([
      {
        group: ['electron', 'react', 'react-dom', 'jssip', 'zustand'],
        message: 'shared/ is pure.',
      },
    ]),
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: restrict([
      { group: ['electron'], message: 'electron/core/ runs without the Electron binary.' },
      {
        group: ['react', 'react-dom', 'jssip', 'zustand'],
        message: 'UI libraries belong to renderer/.',
      },
    ]),
  },
  {
    files: ['electron/*.ts'],
    rules: restrict([
      {
        group: ['react', 'react-dom', 'jssip', 'zustand'],
        message: 'UI libraries belong to renderer/.',
      },
    ]),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    // Unit tests of the store run under node:test, which they may import.
    ignores: ['renderer/sip/**', 'renderer/**/*.test.ts'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict([
        { group: NODE_BUILTINS, message: 'The renderer has no Node.' },
        {
          group: ['electron'],
          message: 'The renderer reaches Electron only through the preload bridge.',
        },
        { group: ['jssip'], message: 'Only renderer/sip/ imports JsSIP.' },
      ]),
    },
  },
  {
    files: ['renderer/**/*.test.ts'],
    rules: restrict([
      {
        group: ['electron'],
        message: 'The renderer reaches Electron only through the preload bridge.',
      },
      { group: ['jssip'], message: 'Only renderer/sip/ imports JsSIP.' },
    ]),
  },
  {
    files: ['renderer/vite.config.ts', 'vite.config.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
