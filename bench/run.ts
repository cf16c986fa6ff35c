/**
 * `npm run bench`: builds the bot, runs every benchmark (or those of `--only`) against local
 * fakes and the machine's Redis, prints the figures and writes the report: BENCHMARKS.md
 * when every benchmark ran, bench/last-run.md otherwise. `--against <commit>` adds an A/B
 * comparison with another commit's build. Options: bench/options.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { compareBuilds, renderAb } from './ab.js';
import { compile, THIS_BUILD } from './build.js';
import { figuresMissing, section } from './figures.js';
import { parseBenchOptions, USAGE, type BenchOptions } from './options.js';
import { prepareOtherBuild, type OtherBuild } from './other-build.js';
import { BENCHMARK_NAMES, BENCHMARKS } from './registry.js';
import { describeMachine, renderReport, treeLabel } from './report.js';

const say = (text: string) => process.stdout.write(`${text}\n`);
const args = process.argv.slice(2);
const options = readOptions();
if (options.help) {
  say(`${USAGE}\n\nbenchmarks: ${BENCHMARK_NAMES.join(', ')}`);
  process.exit(0);
}

const chosen = BENCHMARKS.filter((b) => !options.only || options.only.includes(b.name));
const compared = chosen.filter(
  (b) => b.ab && (!options.compare || options.compare.includes(b.name)),
);
if (options.against && compared.length === 0) {
  say(`--against: none of ${chosen.map((b) => b.name).join(', ')} can run another build; these can:
${BENCHMARKS.filter((b) => b.ab)
  .map((b) => b.name)
  .join(', ')}`);
  process.exit(2);
}
const whole = options.only === null && options.runs > 0;
const target = new URL(whole ? '../BENCHMARKS.md' : './last-run.md', import.meta.url);

const started = Date.now();
say('building…');
compile(THIS_BUILD);
let other: OtherBuild | null = null;
const removeOther = () => other?.remove();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    removeOther();
    process.exit(130);
  });
}
try {
  other = options.against ? prepareOtherBuild(options.against, say) : null;
  const sections: string[] = [];
  if (options.runs > 0) {
    for (const benchmark of chosen) sections.push(await benchmark.section(options.runs, say));
  }
  const machine = await describeMachine();
  if (other) {
    const results = await compareBuilds(compared, THIS_BUILD, other, options.pairs, say);
    sections.push(renderAb(results, treeLabel(machine), other, options.pairs));
  }
  const report = renderReport(
    {
      machine,
      args,
      whole,
      names: chosen.map((b) => b.name),
      runs: options.runs,
      against: other ? { label: other.label, pairs: options.pairs } : null,
      minutes: (Date.now() - started) / 60_000,
    },
    sections,
  );
  writeFileSync(target, report);
  say(`\n${report}\nwritten to ${target.pathname}`);
  if (whole) sayStaleReadmeFigures(report);
} finally {
  removeOther();
}
process.exit(0);

function readOptions(): BenchOptions {
  try {
    return parseBenchOptions(args, BENCHMARK_NAMES);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
}

/** README's benchmark figures come from BENCHMARKS.md: say which this run no longer gives. */
function sayStaleReadmeFigures(report: string): void {
  const readme = section(
    readFileSync(new URL('../README.md', import.meta.url), 'utf8'),
    'Benchmarks',
  );
  const stale = figuresMissing(readme, report);
  if (stale.length > 0) {
    say(`README's Benchmarks section quotes figures this run did not give (update it from
BENCHMARKS.md; test/bench/readme-figures.test.ts fails until then): ${stale.map((f) => f.text).join(', ')}`);
  }
}
