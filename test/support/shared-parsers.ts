import { ParseSandbox } from '../../adapters/sources/parse-sandbox.js';

let shared: Record<'config' | 'chat', ParseSandbox> | null = null;

/**
 * One pair of parse sandboxes (the default deadline) for every app a test file starts: a
 * sandbox's worker takes about half a second to start from the TypeScript sources, and most
 * files start an app per test. Idle workers end by themselves and keep no process alive.
 */
export function sharedParsers(): Record<'config' | 'chat', ParseSandbox> {
  shared ??= { config: new ParseSandbox(), chat: new ParseSandbox() };
  return shared;
}
