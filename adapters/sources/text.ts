/** Collapses runs of white space (including &nbsp;) to one space and trims. */
export function compact(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}
