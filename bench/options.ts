/**
 * `npm run bench -- [options]`: which benchmarks run, how often, and against which other
 * commit. Only a run of every benchmark writes BENCHMARKS.md; any other writes
 * bench/last-run.md, so BENCHMARKS.md never mixes figures of different runs.
 */
import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Benchmarks chosen with `--only`, or null for all of them. */
  only: string[] | null;
  /** Runs of each chosen benchmark on this tree (`--runs`, default `BENCH_RUNS` or 3). */
  runs: number;
  /** Another commit to compare with (`--against`), or null. */
  against: string | null;
  /** Benchmarks compared with `--against` (`--compare`), or null for every chosen one that can be. */
  compare: string[] | null;
  /** Pairs of A/B runs per benchmark compared (`--pairs`, default 3). */
  pairs: number;
  help: boolean;
}

export const USAGE = `npm run bench -- [--only <names>] [--runs <n>] [--against <commit>] [--compare <names>] [--pairs <n>]

  --only a,b          run only these benchmarks (names below); writes bench/last-run.md
  --runs n            runs of each benchmark on this tree (default: BENCH_RUNS or 3);
                      0 runs none, e.g. with --against for the comparison alone
  --against <commit>  also build <commit> in a temporary git worktree and run each chosen
                      benchmark that can be compared on both builds, interleaved: this
                      tree, then <commit>, --pairs times; adds an "A/B against" section
  --compare a,b       with --against, compare only these benchmarks (default: every chosen
                      one that can run another build), e.g. a whole run with the A/B of
                      fan-out and commands alone
  --pairs n           A/B pairs per benchmark (default 3)

Without --only and with --runs ≥ 1 the run writes BENCHMARKS.md whole (with its A/B
section when --against is given); every other run writes bench/last-run.md instead.`;

/** Reads the command line; throws with the usage's reason on anything it does not know. */
export function parseBenchOptions(argv: string[], names: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      runs: { type: 'string' },
      against: { type: 'string' },
      pairs: { type: 'string' },
      compare: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  const only = values.only?.split(',').map((name) => name.trim()) ?? null;
  const compare = values.compare?.split(',').map((name) => name.trim()) ?? null;
  const unknown = [...(only ?? []), ...(compare ?? [])].filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    throw new Error(`unknown benchmark ${unknown.join(', ')}; the names: ${names.join(', ')}`);
  }
  return {
    only,
    runs: count('--runs', values.runs ?? process.env.BENCH_RUNS ?? '3', 0),
    against: values.against ?? null,
    compare,
    pairs: count('--pairs', values.pairs ?? '3', 1),
    help: values.help ?? false,
  };
}

function count(name: string, text: string, least: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < least)
    throw new Error(`${name} must be a whole number ≥ ${least}`);
  return n;
}
