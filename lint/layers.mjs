// @ts-check
import { dirname, isAbsolute, relative, resolve } from 'node:path';

/**
 * The import column of DESIGN.md's layout table as an ESLint rule. Each relative import is
 * resolved against the importing file and must land in a folder that layer may import.
 * A source file that fits no layer is itself an error (VS Code's code-import-patterns).
 * Bare specifiers (node:, electron, react, jssip) are no-restricted-imports' job.
 */

/** Longest prefix first: electron/core/ is a layer of its own inside electron/. */
const LAYERS = [
  { dir: 'shared/', may: ['shared/'] },
  { dir: 'electron/core/', may: ['shared/', 'electron/core/'] },
  { dir: 'electron/', may: ['shared/', 'electron/'] },
  { dir: 'renderer/', may: ['shared/', 'renderer/'] },
  // Tests, benchmarks and tooling may reach every layer they exercise.
  { dir: 'e2e/', may: [''] },
  { dir: 'bench/', may: [''] },
  { dir: 'scripts/', may: [''] },
  { dir: 'lint/', may: [''] },
  { dir: 'bin/', may: [''] },
];

/** Files at the root: configuration for the tools. */
const ROOT_FILES = ['vite.config.ts', 'eslint.config.mjs'];

const layerOf = (/** @type {string} */ path) => LAYERS.find((layer) => path.startsWith(layer.dir));

/**
 * The specifier when it is a constant: a string literal, or a template literal without
 * `${}`, which import() accepts as well and which would otherwise slip past the check.
 * @param {import('estree').Node} source
 */
const specifierOf = (source) => {
  if (source.type === 'Literal' && typeof source.value === 'string') return source.value;
  if (source.type === 'TemplateLiteral' && source.expressions.length === 0) {
    return source.quasis[0]?.value.cooked ?? undefined;
  }
  return undefined;
};

/** @type {import('eslint').Rule.RuleModule} */
const layers = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the import column of the layout table in DESIGN.md' },
    schema: [],
  },
  create(context) {
    const root = context.cwd;
    const file = relative(root, context.filename).split('\\').join('/');
    const layer = layerOf(file);
    if (!layer) {
      if (!ROOT_FILES.includes(file)) {
        context.report({
          loc: { line: 1, column: 0 },
          message: `${file} fits no layer of DESIGN.md's layout table; move it or add the layer to lint/layers.mjs.`,
        });
      }
      return {};
    }
    /** @param {import('estree').Node & { source?: import('estree').Node | null }} node */
    const check = (node) => {
      const source = node.source;
      if (!source) return;
      const specifier = specifierOf(source);
      if (specifier === undefined || !specifier.startsWith('.')) return;
      const target = relative(root, resolve(dirname(context.filename), specifier))
        .split('\\')
        .join('/');
      // Worktrees sit side by side: '../../main/...' would reach another checkout, and the
      // '' prefix of the layers that may import anything would let it through.
      if (target === '..' || target.startsWith('../') || isAbsolute(target)) {
        context.report({
          node: source,
          message: `${file} may not import ${specifier}: it lies outside the repository.`,
        });
        return;
      }
      if (layer.may.some((allowed) => target.startsWith(allowed))) return;
      context.report({
        node: source,
        message: `${layer.dir} may not import ${target} (DESIGN.md, Layout: ${layer.dir} may import ${layer.may.join(', ')}).`,
      });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default { rules: { layers } };
