import { parseDigest, parseQuiet } from '../commands/parse-schedule.js';
import {
  DestinationError,
  type DestinationDetails,
  type DestinationService,
} from '../destinations/destination-service.js';
import { MAX_DIGEST_TIMES, type ChannelSchedule } from '../model/channel-schedule.js';
import { DESTINATION_WORKSPACE } from '../model/destination.js';
import type { ChannelRef } from '../model/subscription.js';
import { parseChannelSpec } from './channel-spec.js';
import { CliError } from './cli-output.js';

export interface DestinationsDeps {
  destinations: Pick<
    DestinationService,
    'channelOf' | 'add' | 'list' | 'get' | 'remove' | 'test' | 'schedule'
  >;
}

/** A destination as the CLI prints it and `--json` gives it: never its URL or secret. */
export interface DestinationSummary {
  /** `platform:name`, as the other `destinations` commands take it. */
  destination: string;
  platform: string;
  name: string;
  /** The host and a masked path: the URL itself is the destination's credential. */
  url: string;
  signed: boolean;
  createdAt: string;
  follows: Array<{ source: string; keywords: string[] }>;
  schedule: ChannelSchedule;
  lastAlert: { source: string; number: number; at: string } | null;
  refused: number;
  givenUp: number;
  lastProblem: {
    kind: string;
    source: string;
    number: number;
    reason: string;
    at: string;
  } | null;
  /** Set while it answers that it is gone or refuses the bot: alerts wait for it. */
  broken: { since: string; reason: string } | null;
}

export interface AddDestinationRequest {
  platform: string;
  url: string;
  name: string;
  source?: string | undefined;
  keywords?: string | undefined;
  secret?: string | undefined;
}

export interface DestinationAdded {
  outcome: 'added' | 'replaced';
  /** The source this add subscribed it to. */
  source: string;
  destination: DestinationSummary;
  /** The signed webhook's secret the bot made: shown this once, never stored in the clear. */
  secret: string | null;
}

export interface DestinationTested {
  destination: string;
  status: number;
  body: string;
}

export interface ScheduleChanged {
  destination: string;
  schedule: ChannelSchedule;
}

/**
 * Adds a webhook destination (or replaces its URL and secret) and subscribes it to a source;
 * the URL is checked (https, a public address) and kept encrypted, and only its masked form
 * comes back.
 */
export async function addDestination(
  deps: DestinationsDeps,
  request: AddDestinationRequest,
): Promise<DestinationAdded> {
  return operatorError(async () => {
    const added = await deps.destinations.add(request);
    const details = await deps.destinations.get(added.channel);
    return {
      outcome: added.outcome,
      source: added.sourceId,
      destination: summary(details),
      secret: added.generatedSecret,
    };
  });
}

export async function listDestinations(deps: DestinationsDeps): Promise<DestinationSummary[]> {
  return (await deps.destinations.list()).map(summary);
}

/** Ends its subscriptions, forgets what it was owed and deletes its URL and secret. */
export async function removeDestination(
  deps: DestinationsDeps,
  spec: string,
): Promise<{ destination: string }> {
  return operatorError(async () => {
    const channel = destinationOf(deps, spec);
    await deps.destinations.remove(channel);
    return { destination: named(channel) };
  });
}

/**
 * Posts a sample alert and returns the destination's answer; a refusal is a {@link CliError}
 * saying why (exit 2 when the cause is the configuration: the encryption key).
 */
export async function testDestination(
  deps: DestinationsDeps,
  spec: string,
): Promise<DestinationTested> {
  return operatorError(async () => {
    const channel = destinationOf(deps, spec);
    const outcome = await deps.destinations.test(channel);
    if (!outcome.ok) {
      throw new CliError(
        `${named(channel)} did not take the test alert (${outcome.kind}): ${outcome.message}`,
        // Destinations' only credential is the key they are sealed with: a configuration error.
        outcome.kind === 'unauthorized' ? 2 : 1,
      );
    }
    return { destination: named(channel), status: outcome.status, body: outcome.body };
  });
}

/** `09:00 18:00` (Korea time), with `weekdays` only on Monday to Friday; `off` ends digests. */
export async function setDigest(
  deps: DestinationsDeps,
  spec: string,
  words: readonly string[],
  options: { weekdays?: boolean } = {},
): Promise<ScheduleChanged> {
  const off = words.length === 1 && words[0]!.toLowerCase() === 'off';
  const read = parseDigest(off || !options.weekdays ? words : ['weekdays', ...words]);
  if (read.kind !== 'digest') {
    throw new CliError(
      `"${words.join(' ')}" is not a digest schedule: up to ${MAX_DIGEST_TIMES} times of day as HH:MM (Korea time, 24-hour), or off`,
      2,
    );
  }
  const digest =
    read.times === null ? null : { times: read.times, weekdaysOnly: read.weekdaysOnly };
  return schedule(deps, spec, { digest });
}

/** `22:00-07:00` (Korea time; may cross midnight), or `off`. */
export async function setQuiet(
  deps: DestinationsDeps,
  spec: string,
  window: string,
): Promise<ScheduleChanged> {
  const read = parseQuiet([window]);
  if (read.kind !== 'quiet') {
    throw new CliError(
      `"${window}" is not quiet hours: start-end as HH:MM-HH:MM (Korea time, 24-hour; two different times), or off`,
      2,
    );
  }
  return schedule(deps, spec, { quiet: read.window });
}

async function schedule(
  deps: DestinationsDeps,
  spec: string,
  change: Partial<ChannelSchedule>,
): Promise<ScheduleChanged> {
  return operatorError(async () => {
    const channel = destinationOf(deps, spec);
    return {
      destination: named(channel),
      schedule: await deps.destinations.schedule(channel, change),
    };
  });
}

/** `teams:esg-team` (or `teams:destinations/esg-team`): a destination's platform and name. */
function destinationOf(deps: DestinationsDeps, spec: string): ChannelRef {
  const parsed = parseChannelSpec(spec);
  if (parsed.workspaceId !== null && parsed.workspaceId !== DESTINATION_WORKSPACE) {
    throw new CliError(
      `"${spec}" is not a destination: write platform:name, e.g. teams:esg-team`,
      2,
    );
  }
  return deps.destinations.channelOf(parsed.platform, parsed.channelId);
}

function named(channel: ChannelRef): string {
  return `${channel.platform}:${channel.channelId}`;
}

/** A refused change is the operator's to fix: one line and exit code 2. */
async function operatorError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DestinationError) throw new CliError(error.message, 2);
    throw error;
  }
}

function summary(details: DestinationDetails): DestinationSummary {
  const { channel, lastAlert, problems, broken } = details;
  return {
    destination: named(channel),
    platform: channel.platform,
    name: channel.channelId,
    url: details.shownUrl,
    signed: details.hasSecret,
    createdAt: details.createdAt.toISOString(),
    follows: details.subscriptions
      .map((s) => ({ source: s.sourceId, keywords: s.keywords }))
      .sort((a, b) => a.source.localeCompare(b.source)),
    schedule: details.schedule,
    lastAlert: lastAlert && {
      source: lastAlert.sourceId,
      number: lastAlert.boardNo,
      at: lastAlert.at.toISOString(),
    },
    refused: problems.refused,
    givenUp: problems.givenUp,
    lastProblem: problems.last && {
      kind: problems.last.kind,
      source: problems.last.sourceId,
      number: problems.last.boardNo,
      reason: problems.last.reason,
      at: problems.last.at.toISOString(),
    },
    broken: broken && { since: broken.since.toISOString(), reason: broken.reason },
  };
}
