/**
 * HTML that is already safe to send: markup the panel wrote, with every value in it escaped.
 * Only {@link html} makes one, so a string can never reach a page unescaped by being
 * mistaken for markup.
 */
export class SafeHtml {
  private constructor(readonly text: string) {}

  /** For {@link html} alone: wraps text it built from literals and escaped values. */
  static trusted(text: string): SafeHtml {
    return new SafeHtml(text);
  }

  toString(): string {
    return this.text;
  }
}

/**
 * What a template may interpolate: markup from {@link html}, text (escaped), numbers, and
 * `false`/`null`/`undefined` (nothing, for `${cond && html`…`}`), or a list of these.
 */
export type HtmlValue =
  SafeHtml | string | number | false | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text as HTML that shows it as is, in an element or in a quoted attribute. Every template
 * puts attribute values in double quotes, where these five are all that can break out.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * A template of the panel's pages: the literal parts are markup, every `${value}` is escaped
 * unless it is itself {@link SafeHtml}. Names of sources, keywords and the answers of remote
 * servers reach pages, and any of them may be hostile (`<script>` as a keyword).
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return SafeHtml.trusted(out);
}

function render(value: HtmlValue): string {
  if (value === false || value === null || value === undefined) return '';
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(String(value));
}
