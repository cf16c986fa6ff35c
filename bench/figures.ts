/**
 * The figures a text quotes, for the rule that README's benchmark figures come from
 * BENCHMARKS.md: each number with the unit written after it, so `57.5 ms` in README is
 * looked for as `57.5 ms` there (`**57.5 ms**` too), `×1.08` as `×1.08`, and a number without
 * a unit (`1,204 deliveries/s`) as the number itself (`1204`).
 */

export interface Figure {
  /** As the text writes it. */
  text: string;
  /** The number, thousands separators and trailing zeros dropped: `1,204.0` → `1204`. */
  value: string;
  /** `ms`, `%`, `×`, …, or null when no unit of {@link UNITS} follows the number. */
  unit: string | null;
}

/** Units a figure is matched with, and how they are spelt alike. */
const UNITS: Record<string, string> = {
  ms: 'ms',
  s: 's',
  min: 'min',
  minute: 'min',
  minutes: 'min',
  h: 'h',
  MB: 'MB',
  MiB: 'MiB',
  KiB: 'KiB',
  GiB: 'GiB',
  KB: 'KB',
  '%': '%',
  core: 'cores',
  cores: 'cores',
};

// A number not glued to a word (`p99`, `v20`, `dept_<code>`) or to a version (`1.2.3`),
// optionally after ×, optionally followed by one space and a unit.
const FIGURE =
  /(?<![\w.])(×)?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d.]*\d)(?:[ \u00a0](ms|s|min|minutes?|h|MB|MiB|KiB|GiB|KB|%|cores?)(?![\w/]))?/g;

export function figuresIn(text: string): Figure[] {
  const figures: Figure[] = [];
  for (const match of text.matchAll(FIGURE)) {
    const [whole, times, number, unit] = match;
    figures.push({
      text: whole,
      value: String(Number(number!.replaceAll(',', ''))),
      unit: times ? '×' : unit ? UNITS[unit]! : null,
    });
  }
  return figures;
}

/** The part of a Markdown text under `## <title>`, to the next heading of that level. */
export function section(markdown: string, title: string): string {
  const start = markdown.search(new RegExp(`^## ${title}\\s*$`, 'm'));
  if (start < 0) throw new Error(`no "## ${title}" section`);
  const rest = markdown.slice(start + 3);
  const end = rest.search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end);
}

/**
 * The figures of `quoting` that `source` does not give: with the same unit, or for a figure
 * without a unit, the same number with or without one.
 */
export function figuresMissing(quoting: string, source: string): Figure[] {
  const given = figuresIn(source);
  const withUnit = new Set(given.map((f) => `${f.value} ${f.unit}`));
  const numbers = new Set(given.map((f) => f.value));
  return figuresIn(quoting).filter((f) =>
    f.unit === null ? !numbers.has(f.value) : !withUnit.has(`${f.value} ${f.unit}`),
  );
}
