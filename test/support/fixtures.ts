import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** A fixture file's bytes, from `test/fixtures/` (copied from the shared samples of the real sources). */
export function fixture(path: string): Buffer {
  return readFileSync(root + path);
}

export function fixtureText(path: string): string {
  return fixture(path).toString('utf8');
}
