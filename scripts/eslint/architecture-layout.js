// @ts-check
/**
 * What each folder of the repository is, as the architecture rules see it. A new chat platform
 * is a new folder in adapters/ and is covered without editing this file; a new folder shared by
 * every platform goes into SHARED_ADAPTER_FOLDERS, and a platform's SDK into PLATFORM_LIBRARIES.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** The adapters/ folders every platform may use; every other folder in adapters/ is a platform's. */
export const SHARED_ADAPTER_FOLDERS = ['destinations', 'http', 'metrics', 'redis', 'sources'];

/**
 * The packages that belong to one platform, imported only inside its adapters/ folder: a
 * package name, or a scope written with its trailing `/`.
 * @type {Record<string, string[]>}
 */
export const PLATFORM_LIBRARIES = {
  slack: ['@slack/'],
  discord: ['discord.js', '@discordjs/'],
  telegram: ['grammy', '@grammyjs/'],
};

/** The platform adapter folders, read from adapters/ so that a new platform needs no edit here. */
export const PLATFORM_FOLDERS = readdirSync(path.join(REPO_ROOT, 'adapters'), {
  withFileTypes: true,
})
  .filter((entry) => entry.isDirectory() && !SHARED_ADAPTER_FOLDERS.includes(entry.name))
  .map((entry) => entry.name)
  .sort();

for (const platform of Object.keys(PLATFORM_LIBRARIES)) {
  // A renamed or removed folder would otherwise leave its SDK allowed nowhere, silently.
  if (!PLATFORM_FOLDERS.includes(platform)) {
    throw new Error(`PLATFORM_LIBRARIES names ${platform}, which is no folder in adapters/`);
  }
}

/** The composition root and the entry points: the only files of src/ that wire adapters in. */
const COMPOSITION_ROOT = ['src/app/', 'src/main.ts', 'src/cli.ts'];

/**
 * @typedef {{ kind: 'core' } | { kind: 'composition-root' } | { kind: 'jobs' }
 *   | { kind: 'platform', platform: string } | { kind: 'shared-adapter' } | { kind: 'other' }} Role
 */

/**
 * @param {string} repoPath a path relative to the repository root, with `/` separators; a path
 *   ending in `/` is a folder (the fixed start of a template literal)
 * @returns {Role}
 */
export function roleOf(repoPath) {
  if (repoPath.startsWith('src/')) {
    const root = COMPOSITION_ROOT.some((entry) =>
      entry.endsWith('/') ? repoPath.startsWith(entry) : repoPath === entry,
    );
    return root ? { kind: 'composition-root' } : { kind: 'core' };
  }
  if (repoPath.startsWith('jobs/')) return { kind: 'jobs' };
  const [top, folder, ...rest] = repoPath.split('/');
  // `adapters/slack` with nothing after it is not yet a folder of adapters/ (`slack-x/…` may follow).
  if (top === 'adapters' && folder && rest.length > 0) {
    return PLATFORM_FOLDERS.includes(folder)
      ? { kind: 'platform', platform: folder }
      : { kind: 'shared-adapter' };
  }
  return { kind: 'other' };
}

/**
 * @param {string} file an absolute file name
 * @returns {string | undefined} its path from the repository root, or undefined outside it
 */
export function repoPathOf(file) {
  const relative = path.relative(REPO_ROOT, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}

/**
 * Where a relative module specifier points, as a repository path (a folder when not exact).
 * @param {string} file the importing file, absolute
 * @param {string} specifier
 * @param {boolean} exact
 * @returns {string | undefined} undefined for a package or a path outside the repository
 */
export function targetOf(file, specifier, exact) {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  const target = repoPathOf(path.resolve(path.dirname(file), specifier));
  if (target === undefined) return undefined;
  return exact ? target : `${target}/`;
}

/**
 * The platform whose library a package specifier names, if any.
 * @param {string} specifier
 * @returns {string | undefined}
 */
export function platformOfLibrary(specifier) {
  for (const [platform, libraries] of Object.entries(PLATFORM_LIBRARIES)) {
    const owns = libraries.some((library) =>
      library.endsWith('/')
        ? specifier.startsWith(library)
        : specifier === library || specifier.startsWith(`${library}/`),
    );
    if (owns) return platform;
  }
  return undefined;
}
