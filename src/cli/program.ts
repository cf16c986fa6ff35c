import { DESTINATION_PLATFORMS, PLATFORM_IDS } from '../platforms/platform-registry.js';
import { Command, InvalidArgumentError } from 'commander';
import { VERSION } from '../util/about.js';
import type { Output } from './cli-output.js';
import { printResult } from './cli-output.js';
import {
  cursorWarning,
  formatCursor,
  getCursor,
  setCursor,
  type CursorDeps,
} from './cursor-command.js';
import {
  failedJobs,
  formatFailed,
  formatQueueCounts,
  queueCounts,
  redactFailed,
} from './queues-command.js';
import {
  addDestination,
  listDestinations,
  removeDestination,
  setDigest,
  setQuiet,
  testDestination,
  type DestinationsDeps,
} from './destinations-command.js';
import {
  formatAdded,
  formatDestinations,
  formatSchedule,
  formatTested,
  redactDestinations,
} from './destinations-output.js';
import { type QueueInspector } from '../ports/queue-inspector.js';
import {
  formatRemovePlatform,
  removePlatform,
  type RemovePlatformDeps,
} from './remove-platform-command.js';
import { formatResend, resendPost, type ResendDeps } from './resend-command.js';
import { formatSources, listSources, redactSources, type SourcesDeps } from './sources-command.js';
import {
  exportSubscriptions,
  formatSubscriptions,
  listSubscriptions,
  type SubscriptionsDeps,
} from './subscriptions-command.js';
import {
  formatImport,
  importSubscriptions,
  importTooLarge,
  MAX_IMPORT_BYTES,
  type ImportDeps,
} from './subscriptions-import.js';

/** Everything the commands use: ports only, built by the entry (`src/cli.ts`). */
export type CliServices = SourcesDeps &
  SubscriptionsDeps &
  ImportDeps &
  ResendDeps &
  RemovePlatformDeps &
  CursorDeps &
  DestinationsDeps & { queues: QueueInspector & ResendDeps['queues'] };

/** What the program needs from its process. */
export interface CliRuntime {
  /** The stores and queues; connects to Redis on first use (`--help` never does). */
  services(): Promise<CliServices>;
  output(options: { json: boolean }): Output;
  /**
   * A file's text; `-` is stdin. `null` when it holds more than `maxBytes`, found without
   * reading it whole.
   */
  readText(file: string, maxBytes: number): Promise<string | null>;
  writeText(file: string, text: string): Promise<void>;
}

/**
 * The `esg-news-bot` operator commands. Each action only reads its arguments, calls the
 * command's function and prints: the functions are where the work is, and are tested alone.
 */
export function buildProgram(runtime: CliRuntime): Command {
  const program = new Command('esg-news-bot')
    // Throws instead of exiting, so the entry closes Redis and picks the exit code (usage: 2).
    // Set first: subcommands copy it when they are created.
    .exitOverride()
    .description(
      "Operator commands for esg-news-bot. Reads the bot's configuration (environment and .env).",
    )
    .version(VERSION)
    .option('--json', 'print machine-readable JSON instead of text')
    .showHelpAfterError('(add --help for usage)');

  // Every action: the output mode the global --json asks for, and the connected services.
  const run =
    <A extends unknown[]>(action: (s: CliServices, out: Output, ...args: A) => Promise<void>) =>
    async (...args: [...A, Command]): Promise<void> => {
      const command = args.at(-1) as Command;
      const out = runtime.output({
        json: command.optsWithGlobals<{ json?: boolean }>().json === true,
      });
      await action(await runtime.services(), out, ...(args.slice(0, -1) as A));
    };

  program
    .command('sources')
    .description('list the sources: title, kind, URL, newest number, last read and last error')
    .action(
      run(async (s, out) => {
        printResult(out, redactSources(out, await listSources(s)), formatSources);
      }),
    );

  const subscriptions = program
    .command('subscriptions')
    .description('list, export, import or remove the channels following each source');
  subscriptions
    .command('list')
    .description('list subscriptions')
    .option('--source <name>', 'only those of one source')
    .action(
      run(async (s, out, options: { source?: string }) => {
        printResult(out, await listSubscriptions(s, options.source), formatSubscriptions);
      }),
    );
  subscriptions
    .command('export')
    .description('write every subscription as JSON, for a backup or another deployment')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(
      run(async (s, out, options: { out?: string }) => {
        const document = await exportSubscriptions(s);
        const json = `${JSON.stringify(document, null, 2)}\n`;
        if (options.out === undefined) return out.write(json);
        await runtime.writeText(options.out, json);
        const summary = { file: options.out, subscriptions: document.subscriptions.length };
        printResult(out, summary, (r) => `Exported ${r.subscriptions} subscriptions to ${r.file}.`);
      }),
    );
  subscriptions
    .command('import')
    .description(
      'add or update the subscriptions of an export (every entry is checked first; nothing is removed)',
    )
    .argument('<file>', 'the export, or - for stdin')
    .option('--dry-run', 'check the file and count what would change, writing nothing')
    .action(
      run(async (s, out, file: string, options: { dryRun?: boolean }) => {
        const text = await runtime.readText(file, MAX_IMPORT_BYTES);
        if (text === null) throw importTooLarge(`more than ${MAX_IMPORT_BYTES} bytes`);
        const result = await importSubscriptions(s, text, { dryRun: options.dryRun === true });
        for (const warning of result.warnings) out.warn(warning);
        printResult(out, result, formatImport);
      }),
    );

  subscriptions
    .command('remove-platform')
    .description(
      'remove every channel of a platform the deployment dropped: subscriptions and owed posts (refused while a worker delivers to it)',
    )
    .argument('<platform>', PLATFORM_IDS.join(', '))
    .option('--dry-run', 'count what would be removed, removing nothing')
    .action(
      run(async (s, out, platform: string, options: { dryRun?: boolean }) => {
        const result = await removePlatform(s, platform, { dryRun: options.dryRun === true });
        printResult(out, result, formatRemovePlatform);
      }),
    );

  program
    .command('resend')
    .description(
      'send an archived post again to one channel, once, through the delivery queue (the channel must follow the source)',
    )
    .argument('<source>', 'source name, e.g. esg')
    .argument('<n>', 'the post number', postNumber)
    .argument('<channel>', 'platform:channel or platform:workspace/channel, e.g. slack:C0123')
    .action(
      run(async (s, out, source: string, boardNo: number, channel: string) => {
        printResult(out, await resendPost(s, { source, boardNo, channel }), formatResend);
      }),
    );

  const cursor = program
    .command('cursor')
    .description("show or move a source's cursor: the highest number announced");
  cursor
    .command('get')
    .argument('<source>', 'source name')
    .action(
      run(async (s, out, source: string) => {
        printResult(out, await getCursor(s, source), formatCursor);
      }),
    );
  cursor
    .command('set')
    .description('move the cursor; the next poll of a board announces what is above it')
    .argument('<source>', 'source name')
    .argument('<n>', 'the new cursor', postNumber)
    .action(
      run(async (s, out, source: string, boardNo: number) => {
        const result = await setCursor(s, source, boardNo);
        const warning = cursorWarning(result);
        if (warning) out.warn(warning);
        printResult(out, result, formatCursor);
      }),
    );

  program
    .command('queues')
    .description('job counts of each queue by state')
    .action(
      run(async (s, out) => {
        printResult(out, await queueCounts(s), formatQueueCounts);
      }),
    );

  program
    .command('failed')
    .description('list the newest failed jobs of every queue')
    .option('--retry', 'give the listed jobs another round of attempts')
    .option('--limit <n>', 'how many to list (and retry)', positiveCount, 20)
    .action(
      run(async (s, out, options: { retry?: boolean; limit: number }) => {
        const report = await failedJobs(s, { limit: options.limit, retry: options.retry === true });
        printResult(out, redactFailed(out, report), formatFailed);
      }),
    );

  const destinations = program
    .command('destinations')
    .description(
      'the webhook destinations (Microsoft Teams, JANDI, Dooray!, signed webhooks): add them by URL, list, test, schedule or remove them',
    );
  destinations
    .command('add')
    .description(
      'add a destination, or replace its URL (and secret), and subscribe it to a source; the URL is kept encrypted and never shown again',
    )
    .argument('<platform>', DESTINATION_PLATFORMS.join(', '))
    .argument('<url>', 'its webhook URL: https on a public address')
    .requiredOption('--name <name>', 'its name here: 1–40 lower-case letters, digits, _ or -')
    .option('--source <name>', 'the source to follow (default: the first configured)')
    .option(
      '--keywords <words>',
      'only posts matching them, as in /news 구독 (탄소 -해외 "탄소 중립")',
    )
    .option(
      '--secret <secret>',
      'webhook only: the signing secret (default: one made and shown once)',
    )
    .action(
      run(async (s, out, platform: string, url: string, options: AddOptions) => {
        printResult(out, await addDestination(s, { platform, url, ...options }), formatAdded);
      }),
    );
  destinations
    .command('list')
    .description(
      'every destination: masked URL, what it follows, digest and quiet hours, last alert, undelivered counts, whether it is broken',
    )
    .action(
      run(async (s, out) => {
        printResult(out, redactDestinations(out, await listDestinations(s)), formatDestinations);
      }),
    );
  destinations
    .command('remove')
    .description('remove a destination: its subscriptions, what it was owed, its URL and secret')
    .argument('<destination>', 'platform:name, e.g. teams:esg-team')
    .action(
      run(async (s, out, spec: string) => {
        printResult(out, await removeDestination(s, spec), (r) => `Removed ${r.destination}.`);
      }),
    );
  destinations
    .command('test')
    .description(
      "send a sample alert now and print the destination's answer; one that takes it is no longer broken",
    )
    .argument('<destination>', 'platform:name')
    .action(
      run(async (s, out, spec: string) => {
        printResult(out, await testDestination(s, spec), formatTested);
      }),
    );
  destinations
    .command('digest')
    .description('send posts as a digest at these times (Korea time) instead of one by one')
    .argument('<destination>', 'platform:name')
    .argument('<times...>', 'up to six HH:MM times, or off')
    .option('--weekdays', 'only Monday to Friday')
    .action(
      run(async (s, out, spec: string, times: string[], options: { weekdays?: boolean }) => {
        printResult(out, await setDigest(s, spec, times, options), formatSchedule);
      }),
    );
  destinations
    .command('quiet')
    .description('hold alerts during these hours (Korea time) and send them together after')
    .argument('<destination>', 'platform:name')
    .argument('<hours>', 'HH:MM-HH:MM (may cross midnight), or off')
    .action(
      run(async (s, out, spec: string, hours: string) => {
        printResult(out, await setQuiet(s, spec, hours), formatSchedule);
      }),
    );

  return program;
}

interface AddOptions {
  name: string;
  source?: string;
  keywords?: string;
  secret?: string;
}

function postNumber(text: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new InvalidArgumentError('must be a non-negative integer.');
  }
  return Number(text);
}

function positiveCount(text: string): number {
  const n = postNumber(text);
  if (n === 0) throw new InvalidArgumentError('must be at least 1.');
  return n;
}
