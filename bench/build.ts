/**
 * The build a benchmark runs: this tree's, or another commit's in a temporary worktree
 * (bench/other-build.ts). Each keeps the bot's entry at `dist/src/main.js` under its root.
 */
import { execSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Build {
  /** How the report names it: `this tree`, or the other commit's short sha. */
  label: string;
  /** The tree's root directory. */
  root: string;
}

export const THIS_BUILD: Build = {
  label: 'this tree',
  root: fileURLToPath(new URL('..', import.meta.url)),
};

/** The built entry point of a build: what `npm start` and the container run. */
export function entryOf(build: Build): string {
  return join(build.root, 'dist', 'src', 'main.js');
}

/** Compiles a tree (`npm run build`), as `npm ci` does through `prepare`. */
export function compile(build: Build): void {
  execSync('npm run build --silent', { cwd: build.root, stdio: 'inherit' });
}
