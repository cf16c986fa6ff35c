import { z } from 'zod';
import { LIMITS } from '../commands/parse-command.js';
import { conflictingTerm, readKeywords, readToken } from '../model/keyword-filter.js';
import { SOURCE_NAME } from '../config/source-config.js';
import { channelKey, type ChannelRef } from '../model/subscription.js';
import { isPlatform, platformSchema, type Platform } from '../platforms/platform-registry.js';
import { type SubscriptionStore } from '../ports/subscription-store.js';
import { channelIdProblems, formatChannel } from './channel-spec.js';
import { CliError } from './cli-output.js';
import { knownSources, unknownSourceMessage, type KnownSourcesDeps } from './known-sources.js';
import { SUBSCRIPTIONS_EXPORT_VERSION, type SubscriptionEntry } from './subscriptions-command.js';

/** As in chat (`/news 구독`): a channel follows at most this many sources. */
export const MAX_SOURCES_PER_CHANNEL = 10;

/**
 * The largest file read, refused before it is read whole or parsed. A subscription takes about
 * 250 bytes of an export (1 KiB with ten long Korean keywords): 10 MiB holds 10,000 to 40,000.
 * Imports only add, so a larger export can be imported in parts.
 */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

export interface ImportDeps extends KnownSourcesDeps {
  subscriptions: Pick<SubscriptionStore, 'get' | 'subscribe' | 'following'>;
  /** The platforms this configuration delivers to; subscriptions of others are warned about. */
  platforms: ReadonlySet<Platform>;
}

export interface ImportResult {
  total: number;
  added: number;
  updated: number;
  unchanged: number;
  /** Nothing was written: the counts say what an import would do. */
  dryRun: boolean;
  warnings: string[];
}

/** One reason the file is refused. */
export interface ImportProblem {
  /** The entry's place in `subscriptions`; `null` for the document as a whole. */
  index: number | null;
  /** The entry's field at fault (`keywords[2]`), when one is. */
  field?: string;
  message: string;
}

/** The file is refused as a whole; every problem found is listed, nothing was written. */
export class ImportRejectedError extends CliError {
  constructor(readonly problems: ImportProblem[]) {
    const lines = problems.map((p) => {
      if (p.index === null) return `  ${p.message}`;
      const field = p.field === undefined ? '' : `.${p.field}`;
      return `  subscriptions[${p.index}]${field}: ${p.message}`;
    });
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`nothing was imported: ${count} found\n${lines.join('\n')}`);
  }
}

const keywords = z
  .array(z.string())
  .max(LIMITS.keywordsMax, `at most ${LIMITS.keywordsMax} keywords and exclusions`)
  .superRefine((tokens, ctx) => {
    tokens.forEach((token, i) => {
      const read = readToken(token);
      if (!read) {
        ctx.addIssue({ code: 'custom', path: [i], message: 'is empty (or a lone -)' });
      } else if (read.term.length > LIMITS.keywordLength) {
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `is longer than ${LIMITS.keywordLength} characters`,
        });
      }
    });
    const conflict = conflictingTerm(readKeywords(tokens));
    if (conflict !== null) {
      ctx.addIssue({ code: 'custom', message: `"${conflict}" is both wanted and excluded` });
    }
  });

/**
 * One entry, as {@link SubscriptionEntry}; fields added by later releases are ignored. Its
 * ids must be of the shape its platform gives (see `channelIdProblems`).
 */
const entrySchema = z
  .object({
    source: z
      .string()
      .regex(SOURCE_NAME, 'must be a source name (1-20 lower-case letters, digits or -)'),
    platform: platformSchema,
    workspaceId: z.string(),
    channelId: z.string(),
    keywords,
    createdAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date and time' }),
  })
  .superRefine((entry, ctx) => {
    // Zod runs this even when a field failed: ids are judged only against a known platform.
    const { platform, workspaceId, channelId } = entry as Record<string, unknown>;
    if (typeof platform !== 'string' || !isPlatform(platform)) return;
    if (typeof workspaceId !== 'string' || typeof channelId !== 'string') return;
    const channel = { platform, workspaceId, channelId };
    for (const { field, message } of channelIdProblems(channel)) {
      ctx.addIssue({ code: 'custom', path: [field], message });
    }
  });

const documentSchema = z.object({
  version: z.unknown(),
  subscriptions: z.array(z.unknown(), 'must be a list of subscriptions'),
});

/**
 * Reads an export (see `exportSubscriptions`) and checks every entry: its fields, that its
 * source exists here, that no channel and source appear twice, and that no channel would
 * follow more than {@link MAX_SOURCES_PER_CHANNEL} sources. Throws an
 * {@link ImportRejectedError} listing every problem. Nothing is written.
 */
export async function validateImport(deps: ImportDeps, text: string): Promise<SubscriptionEntry[]> {
  const document = parseDocument(text);
  const problems: ImportProblem[] = [];
  const entries: Array<{ index: number; entry: SubscriptionEntry }> = [];
  document.subscriptions.forEach((raw, index) => {
    const parsed = entrySchema.safeParse(raw);
    if (parsed.success) entries.push({ index, entry: parsed.data });
    else for (const issue of parsed.error.issues) problems.push({ index, ...describe(issue) });
  });

  const sources = await knownSources(deps);
  const names = sources.map((s) => s.name);
  const seen = new Map<string, number>();
  const byChannel = new Map<string, Array<{ index: number; entry: SubscriptionEntry }>>();
  for (const item of entries) {
    const { index, entry } = item;
    if (!names.includes(entry.source)) {
      problems.push({ index, message: unknownSourceMessage(entry.source, sources) });
      continue;
    }
    const key = `${entry.source}|${channelKey(entry)}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({
        index,
        message: `${formatChannel(entry)} and ${entry.source} again (first at subscriptions[${first}])`,
      });
      continue;
    }
    seen.set(key, index);
    const list = byChannel.get(channelKey(entry)) ?? [];
    list.push(item);
    byChannel.set(channelKey(entry), list);
  }
  for (const items of byChannel.values()) {
    problems.push(...(await channelLimitProblems(deps, names, items)));
  }

  if (problems.length > 0) {
    throw new ImportRejectedError(problems.sort((a, b) => (a.index ?? -1) - (b.index ?? -1)));
  }
  return entries.map((item) => item.entry);
}

/**
 * Validates the whole file first, then writes each entry that differs from what is stored
 * (keywords or creation time): importing the same file again changes nothing. Entries are
 * added or replaced, never removed: subscriptions missing from the file stay.
 */
export async function importSubscriptions(
  deps: ImportDeps,
  text: string,
  options: { dryRun?: boolean } = {},
): Promise<ImportResult> {
  const entries = await validateImport(deps, text);
  const dryRun = options.dryRun ?? false;
  const result: ImportResult = {
    total: entries.length,
    added: 0,
    updated: 0,
    unchanged: 0,
    dryRun,
    warnings: platformWarnings(deps, entries),
  };
  for (const entry of entries) {
    const { source, platform, workspaceId, channelId, keywords, createdAt } = entry;
    const channel: ChannelRef = { platform, workspaceId, channelId };
    const existing = await deps.subscriptions.get(source, channel);
    if (existing && sameSubscription(existing, entry)) {
      result.unchanged++;
      continue;
    }
    if (existing) result.updated++;
    else result.added++;
    if (!dryRun) await deps.subscriptions.subscribe(source, { ...channel, keywords, createdAt });
  }
  return result;
}

export function formatImport(result: ImportResult): string {
  const verb = result.dryRun ? 'Would import' : 'Imported';
  return `${verb} ${result.total} subscriptions: ${result.added} added, ${result.updated} updated, ${result.unchanged} unchanged.`;
}

function parseDocument(text: string): z.infer<typeof documentSchema> {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_IMPORT_BYTES) throw importTooLarge(`${bytes} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ImportRejectedError([
      { index: null, message: `the file is not JSON (${(error as Error).message})` },
    ]);
  }
  const parsed = documentSchema.safeParse(json);
  if (!parsed.success) {
    throw new ImportRejectedError(
      parsed.error.issues.map((issue) => ({
        index: null,
        message: `not a subscriptions export: ${issue.path.join('.') || 'the document'} ${issue.message}`,
      })),
    );
  }
  if (parsed.data.version !== SUBSCRIPTIONS_EXPORT_VERSION) {
    throw new ImportRejectedError([
      {
        index: null,
        message: `version ${JSON.stringify(parsed.data.version)} is not one this release reads (${SUBSCRIPTIONS_EXPORT_VERSION})`,
      },
    ]);
  }
  return parsed.data;
}

/** The file is refused whole: too large to be an export (see {@link MAX_IMPORT_BYTES}). */
export function importTooLarge(size: string): ImportRejectedError {
  return new ImportRejectedError([
    {
      index: null,
      message: `the file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB (${size}): not a subscriptions export`,
    },
  ]);
}

/** A zod issue of one entry: its field (`keywords[2]`) and what is wrong with it. */
function describe(issue: z.core.$ZodIssue): Omit<ImportProblem, 'index'> {
  const field = issue.path
    .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
    .join('')
    .replace(/^\./, '');
  return field === '' ? { message: issue.message } : { field, message: issue.message };
}

/**
 * The entries that would take one channel past the limit: the sources it follows here, plus
 * the new ones of the file, in file order.
 */
async function channelLimitProblems(
  deps: ImportDeps,
  sourceNames: readonly string[],
  items: ReadonlyArray<{ index: number; entry: SubscriptionEntry }>,
): Promise<ImportProblem[]> {
  const { platform, workspaceId, channelId } = items[0]!.entry;
  const channel = { platform, workspaceId, channelId };
  const following = new Set(
    (await deps.subscriptions.following(channel, sourceNames)).map((f) => f.sourceId),
  );
  const problems: ImportProblem[] = [];
  let count = following.size;
  for (const { index, entry } of items) {
    if (following.has(entry.source)) continue;
    count++;
    if (count > MAX_SOURCES_PER_CHANNEL) {
      problems.push({
        index,
        message: `${formatChannel(channel)} would follow more than ${MAX_SOURCES_PER_CHANNEL} sources (it follows ${following.size} here)`,
      });
    }
  }
  return problems;
}

function sameSubscription(
  stored: { keywords: readonly string[]; createdAt: string },
  entry: SubscriptionEntry,
): boolean {
  return (
    stored.createdAt === entry.createdAt &&
    stored.keywords.length === entry.keywords.length &&
    stored.keywords.every((keyword, i) => keyword === entry.keywords[i])
  );
}

/** Subscriptions of a platform this configuration does not deliver to get nothing until it does. */
function platformWarnings(deps: ImportDeps, entries: readonly SubscriptionEntry[]): string[] {
  const counts = new Map<Platform, number>();
  for (const entry of entries) counts.set(entry.platform, (counts.get(entry.platform) ?? 0) + 1);
  return [...counts]
    .filter(([platform]) => !deps.platforms.has(platform))
    .map(
      ([platform, n]) =>
        `${n} subscription(s) of ${platform} channels: ${platform} is not configured here, so they get no alerts until it is`,
    );
}
