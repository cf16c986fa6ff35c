/**
 * The report a run writes: its header (what ran, on which machine and commit, how long it
 * took), then each benchmark's section and the A/B section if any.
 */
import { execSync } from 'node:child_process';
import { cpus, release, totalmem } from 'node:os';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from '../test/support/redis.js';
import { round } from './stats.js';

export type Machine = Awaited<ReturnType<typeof describeMachine>>;

/** The commit the run's tree is at, and whether the tree has changes on top. */
export const treeLabel = (m: Machine): string =>
  `${m.commit}${m.uncommitted ? ' with uncommitted changes' : ''}`;

export async function describeMachine() {
  const redis = new Redis(TEST_REDIS_URL);
  const info = await redis.info('server');
  redis.disconnect();
  const git = (cmd: string) => {
    try {
      return execSync(cmd, { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    cpu: `${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores`,
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    os: `Linux ${release()}`,
    node: process.version,
    redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    commit: git('git rev-parse --short HEAD'),
    uncommitted: git('git status --porcelain') !== '',
  };
}

export interface ReportHeader {
  machine: Machine;
  /** The command line after `npm run bench --`, as given. */
  args: string[];
  /** Every benchmark ran (BENCHMARKS.md), or only some (bench/last-run.md). */
  whole: boolean;
  names: string[];
  runs: number;
  against: { label: string; pairs: number } | null;
  minutes: number;
}

export function renderReport(header: ReportHeader, sections: string[]): string {
  const m = header.machine;
  const command = `npm run bench${header.args.length ? ` -- ${header.args.join(' ')}` : ''}`;
  const what = header.whole
    ? `Written by \`${command}\`: every benchmark.`
    : `Written by \`${command}\` to bench/last-run.md, not BENCHMARKS.md,
which only a run of every benchmark writes. This run: ${header.names.join(', ')}${header.runs === 0 ? ', in the A/B comparison alone' : ''}.`;
  const runs =
    header.runs > 0
      ? `\nEvery figure is the median of its runs (${header.runs} per benchmark unless its section says
otherwise), each run listed after it; ratios compare medians.`
      : '';
  const ab = header.against
    ? `\nThe A/B section compares this tree with ${header.against.label} over ${header.against.pairs} pair${header.against.pairs === 1 ? '' : 's'} of runs.`
    : '';
  return `# Benchmarks${header.whole ? '' : ': a partial run'}

${what}${runs}${ab}
The bot runs as it ships (\`dist/src/main.js\`, default settings unless said), in its own processes; Slack, Discord and the board are local fakes speaking their HTTP APIs,
run by the benchmark process on the same machine, which also runs Redis.

| machine | |
| --- | --- |
| CPU | ${m.cpu} |
| memory | ${m.memory} |
| OS | ${m.os} |
| Node.js | ${m.node} |
| Redis | ${m.redis} |
| date | ${m.date} |
| commit | ${treeLabel(m)} |
| the whole run took | ${round(header.minutes, 0)} min |

${sections.join('\n')}`;
}
