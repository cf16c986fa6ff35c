/**
 * `--against <commit>`: each chosen benchmark that can run either build runs on this tree's
 * build, then on the other commit's, pair after pair, so both see the same moments of a
 * shared machine; the section compares the medians of each figure.
 */
import type { Build } from './build.js';
import type { OtherBuild } from './other-build.js';
import type { AbCase, Benchmark, Say } from './registry.js';
import { listRuns } from './report-format.js';
import { median, round } from './stats.js';

export interface AbResult {
  case: AbCase;
  /** One entry per pair, this tree's then the other's. */
  mine: Array<Record<string, number>>;
  theirs: Array<Record<string, number>>;
}

export async function compareBuilds(
  benchmarks: readonly Benchmark[],
  mine: Build,
  theirs: Build,
  pairs: number,
  say: Say,
): Promise<AbResult[]> {
  const results: AbResult[] = [];
  for (const b of benchmarks) if (b.ab) results.push({ case: b.ab, mine: [], theirs: [] });
  for (let pair = 1; pair <= pairs; pair++) {
    for (const result of results) {
      for (const [build, into] of [
        [mine, result.mine],
        [theirs, result.theirs],
      ] as const) {
        const figures = await result.case.once(build);
        say(
          `A/B ${result.case.title}, ${build.label}, pair ${pair}/${pairs}: ${JSON.stringify(figures)}`,
        );
        into.push(figures);
      }
    }
  }
  return results;
}

/** The A/B section: one row per figure, both medians, their ratio and every run. */
export function renderAb(
  results: AbResult[],
  mineLabel: string,
  other: OtherBuild,
  pairs: number,
): string {
  const them = other.label;
  const rows = results.flatMap(({ case: c, mine, theirs }) =>
    c.figures.map((f) => {
      const a = mine.map((x) => x[f.key] ?? NaN);
      const b = theirs.map((x) => x[f.key] ?? NaN);
      const [ma, mb] = [median(a), median(b)];
      // Apart: every run of one build on the same side of every run of the other.
      const apart = Math.min(...a) > Math.max(...b) || Math.max(...a) < Math.min(...b);
      const ratio = mb === 0 ? (ma === 0 ? '×1' : '–') : `×${round(ma / mb, 3)}`;
      return `| ${c.title} | ${f.label} (${f.better} is better) | ${round(ma, f.digits)}${f.unit} | ${round(mb, f.digits)}${f.unit} | ${ratio} | ${apart ? 'yes' : 'no'} | ${listRuns(a, f.digits)} | ${listRuns(b, f.digits)} |`;
    }),
  );
  return `## A/B against ${them}

This tree (${mineLabel}) against ${them} ("${other.subject}"),
built in a temporary git worktree (${other.dependencies === 'shared' ? "the same package-lock.json: this tree's node_modules" : 'its own dependencies, from `npm ci`'}). ${pairs} pair${pairs === 1 ? '' : 's'} per benchmark, run in turn: this tree, then
${them}, every benchmark once, then the next pair. Each figure is the median of its pairs;
"ratio" is this tree's over ${them}'s; "apart" says whether every run of one build is on the
same side of every run of the other (if not, the difference is within this machine's noise).

| benchmark | figure | this tree | ${them} | ratio | apart | runs, this tree | runs, ${them} |
| --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
`;
}
