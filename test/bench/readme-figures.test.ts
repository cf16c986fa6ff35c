import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { figuresIn, figuresMissing, section } from '../../bench/figures.js';

const read = (name: string) => readFileSync(new URL(`../../${name}`, import.meta.url), 'utf8');

describe("README's benchmark figures", () => {
  it('are every one in the current BENCHMARKS.md', () => {
    const quoted = section(read('README.md'), 'Benchmarks');
    // The section quotes the last full run; a check of no figures would pass for nothing.
    expect(figuresIn(quoted).filter((f) => f.unit !== null).length).toBeGreaterThan(5);
    expect(figuresMissing(quoted, read('BENCHMARKS.md')).map((f) => f.text)).toEqual([]);
  });
});

describe('figuresMissing', () => {
  const report = `| 1 | **1204** | **273 MB** |
- Two workers against one: **×0.85**. Aim p99: **57.5 ms** (runs: 80.5, 57.5, 51.4); 5,000 channels.`;

  it('finds nothing missing when every figure is there, separators and bold aside', () => {
    const readme =
      '1,204 deliveries/s, 273 MB peak RSS, ×0.85 with two workers, p99 57.5 ms, 5000 channels';
    expect(figuresMissing(readme, report)).toEqual([]);
  });

  it('finds an old figure, and one whose unit differs', () => {
    const readme = '1,198 deliveries/s, 273 ms, ×0.86, p99 57.5 ms';
    expect(figuresMissing(readme, report).map((f) => f.text)).toEqual(['1,198', '273 ms', '×0.86']);
  });

  it('takes neither names like p99 nor versions for figures', () => {
    expect(figuresIn('p99 of v20.20.2 and 2.5.0 on Redis 7: 57.5 ms').map((f) => f.text)).toEqual([
      '7',
      '57.5 ms',
    ]);
  });

  it('reads a unit written in words as the report writes it', () => {
    expect(
      figuresMissing('the run took 45 minutes on 2 cores', '| took | 45 min |, 2 cores'),
    ).toEqual([]);
    expect(figuresMissing('the run took 45 minutes', '45 ms')).toHaveLength(1);
  });
});

describe('section', () => {
  it("is the text under one `##` heading, to the next, its subsections' included", () => {
    const text = section('## A\nx 1\n## Benchmarks\ny 2\n### Sub\nz 3\n## C\nw 4\n', 'Benchmarks');
    expect(text).toContain('y 2');
    expect(text).toContain('z 3');
    expect(text).not.toContain('w 4');
    expect(text).not.toContain('x 1');
  });
});
