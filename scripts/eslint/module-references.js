// @ts-check
/**
 * Every way a file can name another module, as one ESLint visitor: `import`, `import type`,
 * `export … from`, `import()` (with a string or a template literal), `import('…').Type`,
 * `import x = require('…')` and `require('…')`. The architecture rules judge each name the same
 * way whatever form it came in, so a lazy `await import()` cannot slip past a boundary.
 */

/**
 * @typedef {object} ModuleReference
 * @property {import('estree').Node} node the string or template literal naming the module
 * @property {string} specifier the module name as written, or the fixed start of a template
 *   literal with placeholders, cut after its last `/`
 * @property {boolean} exact false when `specifier` is only such a fixed start
 */

/**
 * @param {any} node
 * @returns {{ specifier: string, exact: boolean } | undefined}
 */
function specifierOf(node) {
  if (node?.type === 'Literal' && typeof node.value === 'string') {
    return { specifier: node.value, exact: true };
  }
  if (node?.type === 'TemplateLiteral') {
    const start = node.quasis[0]?.value.cooked ?? '';
    if (node.expressions.length === 0) return { specifier: start, exact: true };
    // `../adapters/${name}/x.js` still says which folder it reaches into; `${name}` says nothing.
    const fixed = start.slice(0, start.lastIndexOf('/') + 1);
    return fixed === '' ? undefined : { specifier: fixed, exact: false };
  }
  return undefined;
}

/**
 * @param {(reference: ModuleReference) => void} onReference
 * @returns {import('eslint').Rule.RuleListener}
 */
export function moduleReferenceVisitors(onReference) {
  /** @param {any} source */
  const visit = (source) => {
    const found = specifierOf(source);
    if (found) onReference({ node: source, ...found });
  };
  /** @type {Record<string, (node: any) => void>} */
  const visitors = {
    ImportDeclaration: (node) => visit(node.source),
    ExportNamedDeclaration: (node) => visit(node.source),
    ExportAllDeclaration: (node) => visit(node.source),
    ImportExpression: (node) => visit(node.source),
    // typescript-eslint 8 calls it `source`; older versions had `argument.literal`.
    TSImportType: (node) => visit(node.source ?? node.argument?.literal),
    TSExternalModuleReference: (node) => visit(node.expression),
    'CallExpression[callee.type="Identifier"][callee.name="require"]': (node) =>
      visit(node.arguments[0]),
  };
  return visitors;
}
