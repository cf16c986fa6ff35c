import type { PostArchive } from '../ports/post-archive.js';
import type { DeliveryTarget } from '../ports/delivery-log.js';
import type { ChannelRef } from '../model/subscription.js';
import type { Platform } from '../platforms/platform-registry.js';
import type { SubscriptionStore } from '../ports/subscription-store.js';
import { formatChannel, parseChannelSpec, type ChannelSpec } from './channel-spec.js';
import { CliError } from './cli-output.js';
import { requireSource, type KnownSourcesDeps } from './known-sources.js';

/** What a post was for the channel before a resend made it owed again. */
export type OwedBefore =
  /** It had been delivered there (or given up on). */
  | 'settled'
  /** It was still owed there: its pending delivery sends it, once. */
  | 'owed'
  /** It had never been owed there (an older post, or one the channel's keywords left out). */
  | 'new';

export interface ResendDeps extends KnownSourcesDeps {
  archive: Pick<PostArchive, 'get'>;
  subscriptions: Pick<SubscriptionStore, 'get' | 'scan'>;
  /** Makes one post owed to one channel again, even when it was settled there. */
  deliveries: { reopen(target: DeliveryTarget, at: Date): Promise<OwedBefore> };
  /** Queues a delivery job of its own for the target; returns the job's id. */
  queues: { enqueueResend(target: DeliveryTarget): Promise<string> };
  /**
   * The platforms a running worker anywhere delivers to now (see `PlatformWorkerStore`): a
   * resend to another waits in its queue, and the operator is told so.
   */
  served: () => Promise<ReadonlySet<Platform>>;
  now?: () => Date;
}

export interface ResendRequest {
  source: string;
  boardNo: number;
  /** `platform:channel` or `platform:workspace/channel`. */
  channel: string;
}

export interface ResendResult {
  source: string;
  boardNo: number;
  title: string;
  channel: ChannelRef;
  owedBefore: OwedBefore;
  jobId: string;
  /** No running worker delivers to the channel's platform now: the job waits for one. */
  waitsForWorker: boolean;
}

/**
 * Sends an archived post again to one channel, once, through the delivery queue, so the
 * running workers send it with the platform's rules (rate limits, retries, its turn in the
 * channel's order). The channel must follow the source: deliveries re-check the
 * subscription, so an unsubscribed channel would be sent nothing. Its keywords are not asked:
 * the operator chose the post.
 *
 * Only this (post, channel) is made owed again; the delivery log then lets exactly one
 * delivery send it, however many jobs run for it.
 */
export async function resendPost(deps: ResendDeps, request: ResendRequest): Promise<ResendResult> {
  const spec = parseChannelSpec(request.channel);
  const source = await requireSource(deps, request.source);
  const post = await deps.archive.get(source.name, request.boardNo);
  if (!post) {
    throw new CliError(`${source.name} has no post #${request.boardNo} in the archive`);
  }
  const channel = await subscribedChannel(deps, source.name, spec);
  const target: DeliveryTarget = { sourceId: source.name, boardNo: post.boardNo, channel };
  const now = deps.now ?? (() => new Date());
  const owedBefore = await deps.deliveries.reopen(target, now());
  const jobId = await deps.queues.enqueueResend(target);
  return {
    source: source.name,
    boardNo: post.boardNo,
    title: post.title,
    channel,
    owedBefore,
    jobId,
    // Whichever process has the platform's token delivers it; this CLI's own tokens do not matter.
    waitsForWorker: !(await deps.served()).has(channel.platform),
  };
}

/** The channel as its subscription to the source names it; an error when it follows it not. */
async function subscribedChannel(
  deps: ResendDeps,
  source: string,
  spec: ChannelSpec,
): Promise<ChannelRef> {
  const advice = `subscribe it first (/news 구독 ${source} in the channel, or subscriptions import)`;
  if (spec.workspaceId !== null) {
    const channel = { ...spec, workspaceId: spec.workspaceId };
    if (await deps.subscriptions.get(source, channel)) return channel;
    throw new CliError(`${formatChannel(channel)} does not follow ${source}: ${advice}`);
  }
  const matches: ChannelRef[] = [];
  for await (const batch of deps.subscriptions.scan(source)) {
    for (const s of batch) {
      if (s.platform === spec.platform && s.channelId === spec.channelId) {
        matches.push({ platform: s.platform, workspaceId: s.workspaceId, channelId: s.channelId });
      }
    }
  }
  const [only] = matches;
  if (only && matches.length === 1) return only;
  if (!only) {
    throw new CliError(`${spec.platform}:${spec.channelId} does not follow ${source}: ${advice}`);
  }
  throw new CliError(
    `${spec.platform}:${spec.channelId} is a channel of several workspaces; name one: ${matches.map(formatChannel).join(', ')}`,
  );
}

const OWED_BEFORE_TEXT: Record<OwedBefore, string> = {
  settled: 'it had been delivered there before',
  owed: 'it was still owed there, and goes out once',
  new: 'it had not been sent there before',
};

export function formatResend(result: ResendResult): string {
  const { platform } = result.channel;
  return [
    `Queued ${result.source} #${result.boardNo} “${result.title}” for ${formatChannel(result.channel)} (${OWED_BEFORE_TEXT[result.owedBefore]}).`,
    result.waitsForWorker
      ? `No running worker delivers to ${platform} now: job ${result.jobId} waits in its queue and is sent once a worker for ${platform} starts.`
      : `The running workers send it once; job ${result.jobId}.`,
  ].join('\n');
}
