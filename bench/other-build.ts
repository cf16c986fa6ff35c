/**
 * Another commit's build for an A/B comparison: checked out in a temporary git worktree,
 * given this tree's node_modules when both package-lock.json files are the same (`npm ci`
 * otherwise), compiled with `npm run build`. Removed again with {@link OtherBuild.remove}.
 */
import { execFileSync, execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, THIS_BUILD, type Build } from './build.js';

export interface OtherBuild extends Build {
  /** The full commit id. */
  commit: string;
  /** Its first line, for the report. */
  subject: string;
  /** How its dependencies were installed: shared with this tree, or `npm ci`. */
  dependencies: 'shared' | 'npm ci';
  /** Removes the worktree; safe to call twice. */
  remove(): void;
}

const git = (args: string[], cwd = THIS_BUILD.root) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 }).trim();

export function prepareOtherBuild(revision: string, say: (text: string) => void): OtherBuild {
  const commit = git(['rev-parse', '--verify', `${revision}^{commit}`]);
  const label = git(['rev-parse', '--short', commit]);
  const subject = git(['log', '-1', '--format=%s', commit]);
  const root = mkdtempSync(join(tmpdir(), `esg-bench-${label}-`));
  const nodeModules = join(root, 'node_modules');
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    // The link first: removing the worktree must never reach into this tree's node_modules.
    try {
      unlinkSync(nodeModules);
    } catch {
      // not a link (npm ci) or not there: the worktree's removal takes it
    }
    try {
      git(['worktree', 'remove', '--force', root]);
    } catch {
      rmSync(root, { recursive: true, force: true });
      git(['worktree', 'prune']);
    }
  };
  try {
    say(`checking out ${label} in ${root}…`);
    git(['worktree', 'add', '--detach', root, commit]);
    const sameLock =
      git(['show', `${commit}:package-lock.json`]) ===
      readFileSync(join(THIS_BUILD.root, 'package-lock.json'), 'utf8').trim();
    if (sameLock) {
      symlinkSync(realpathSync(join(THIS_BUILD.root, 'node_modules')), nodeModules, 'dir');
    } else {
      say(`${label}'s package-lock.json differs: npm ci…`);
      execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
    }
    say(`building ${label}…`);
    const build: Build = { label, root };
    compile(build);
    return {
      ...build,
      commit,
      subject,
      dependencies: sameLock ? 'shared' : 'npm ci',
      remove,
    };
  } catch (error) {
    remove();
    throw error;
  }
}
