// @ts-check
/**
 * The import boundaries of the layout (README, "Layout"), as ESLint rules:
 * - the core (src/ but its composition root src/app/ and the entry points) imports no adapter or job;
 * - a platform's adapter folder imports no other platform's;
 * - jobs/ imports no platform adapter;
 * - a platform's SDK is imported only in that platform's adapter folder.
 * Local rules rather than eslint-plugin-boundaries or eslint-plugin-import-x's
 * `no-restricted-paths`: both miss `import(`…`)` written with a template literal and
 * `import('…').Type`, and they need a module resolver where path arithmetic is enough here
 * (every import of the repository's own files is relative).
 */
import {
  SHARED_ADAPTER_FOLDERS,
  platformOfLibrary,
  repoPathOf,
  roleOf,
  targetOf,
} from './architecture-layout.js';
import { moduleReferenceVisitors } from './module-references.js';

const LAYOUT_FILE = 'scripts/eslint/architecture-layout.js';

/**
 * A rule that judges each module reference of a file, given the file's repository path.
 * @param {string} description
 * @param {string} message
 * @param {(file: string, reference: import('./module-references.js').ModuleReference, fileName: string) => Record<string, string> | undefined} judge
 *   the message's data when the reference breaks the rule
 * @returns {import('eslint').Rule.RuleModule}
 */
function boundaryRule(description, message, judge) {
  return {
    meta: {
      type: 'problem',
      docs: { description },
      schema: [],
      messages: { forbidden: message },
    },
    create(context) {
      const file = repoPathOf(context.filename);
      if (file === undefined) return {};
      return moduleReferenceVisitors((reference) => {
        const data = judge(file, reference, context.filename);
        if (data) context.report({ node: reference.node, messageId: 'forbidden', data });
      });
    },
  };
}

const coreImportsNoAdapterOrJob = boundaryRule(
  'The core (src/ but src/app/, src/main.ts, src/cli.ts) imports no adapter and no job.',
  'The core must not import {{target}}: it reaches adapters and queues only through its ports ' +
    '(src/ports/), and the composition root (src/app/) passes the implementations in.',
  (file, { specifier, exact }, fileName) => {
    if (roleOf(file).kind !== 'core') return undefined;
    const target = targetOf(fileName, specifier, exact);
    if (target?.startsWith('adapters/') || target?.startsWith('jobs/')) return { target };
    return undefined;
  },
);

const noCrossPlatformImport = boundaryRule(
  "A platform's adapter folder imports no other platform's adapter folder.",
  'The {{platform}} adapter must not import the {{other}} adapter ({{target}}): what platforms ' +
    'share lives in src/ or in a shared adapter folder ({{shared}}).',
  (file, { specifier, exact }, fileName) => {
    const role = roleOf(file);
    if (role.kind !== 'platform') return undefined;
    const target = targetOf(fileName, specifier, exact);
    const targetRole = target === undefined ? undefined : roleOf(target);
    if (targetRole?.kind !== 'platform' || targetRole.platform === role.platform) return undefined;
    return {
      platform: role.platform,
      other: targetRole.platform,
      target: target ?? '',
      shared: SHARED_ADAPTER_FOLDERS.map((name) => `adapters/${name}/`).join(', '),
    };
  },
);

const jobsImportNoPlatform = boundaryRule(
  'jobs/ imports no platform adapter.',
  'jobs/ must not import the {{platform}} adapter ({{target}}): a worker gets its notifier from ' +
    'the composition root. If adapters/{{platform}}/ is not a chat platform but shared, add it to ' +
    `SHARED_ADAPTER_FOLDERS in ${LAYOUT_FILE}.`,
  (file, { specifier, exact }, fileName) => {
    if (roleOf(file).kind !== 'jobs') return undefined;
    const target = targetOf(fileName, specifier, exact);
    const targetRole = target === undefined ? undefined : roleOf(target);
    if (targetRole?.kind !== 'platform') return undefined;
    return { platform: targetRole.platform, target: target ?? '' };
  },
);

const platformLibraryInItsAdapter = boundaryRule(
  "A platform's SDK is imported only inside that platform's adapter folder.",
  '{{library}} belongs to {{platform}}: import it only inside adapters/{{platform}}/ ' +
    `(the platforms' SDKs are listed in PLATFORM_LIBRARIES in ${LAYOUT_FILE}).`,
  (file, { specifier }) => {
    const platform = platformOfLibrary(specifier);
    if (platform === undefined) return undefined;
    const role = roleOf(file);
    if (role.kind === 'platform' && role.platform === platform) return undefined;
    return { library: specifier, platform };
  },
);

/** @type {import('eslint').ESLint.Plugin} */
export const architecture = {
  meta: { name: 'architecture' },
  rules: {
    'core-imports-no-adapter-or-job': coreImportsNoAdapterOrJob,
    'no-cross-platform-import': noCrossPlatformImport,
    'jobs-import-no-platform': jobsImportNoPlatform,
    'platform-library-in-its-adapter': platformLibraryInItsAdapter,
  },
};

/** Every rule of {@link architecture}, as an error. */
export const architectureRules = Object.fromEntries(
  Object.keys(architecture.rules ?? {}).map((name) => [`architecture/${name}`, 'error']),
);
