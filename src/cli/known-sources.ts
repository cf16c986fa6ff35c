import { redactUrl } from '../model/source-error.js';
import type { SourceConfig } from '../config/source-config.js';
import type { SourceRecord, SourceRegistry } from '../ports/source-registry.js';
import { CliError } from './cli-output.js';

export interface KnownSourcesDeps {
  registry: Pick<SourceRegistry, 'list'>;
  /** The sources this configuration names; the bot writes them to the registry at start. */
  configured: readonly SourceConfig[];
}

/**
 * Every source of the deployment: the registry's, and configured ones the bot has not yet
 * registered (it does at start). So a new deployment can be given its subscriptions, or
 * its cursors, before its first start.
 */
export async function knownSources(deps: KnownSourcesDeps): Promise<SourceRecord[]> {
  const registered = await deps.registry.list();
  const pending = deps.configured
    .filter((source) => !registered.some((r) => r.name === source.name))
    .map((source): SourceRecord => ({
      name: source.name,
      url: redactUrl(source.url),
      origin: 'config',
      displayName: null,
      kind: null,
      addedAt: '',
    }));
  return [...registered, ...pending];
}

/** The named source, or a {@link CliError} that lists the known ones and how to add one. */
export async function requireSource(deps: KnownSourcesDeps, name: string): Promise<SourceRecord> {
  const sources = await knownSources(deps);
  const source = sources.find((s) => s.name === name);
  if (source) return source;
  throw new CliError(unknownSourceMessage(name, sources));
}

/** Why a source name is refused, with the names that would do and how to add another. */
export function unknownSourceMessage(name: string, sources: readonly SourceRecord[]): string {
  const names = sources.map((s) => s.name).join(', ') || 'none';
  return `unknown source "${name}" (known: ${names}); configure it in SOURCES, or add it from chat with /news 구독 <url>`;
}
