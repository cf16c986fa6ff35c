import type { ChannelSchedule } from '../model/channel-schedule.js';
import { NO_SCHEDULE } from '../model/channel-schedule.js';
import {
  DESTINATION_NAME,
  DESTINATION_WORKSPACE,
  DestinationUrlError,
  type DestinationView,
} from '../model/destination.js';
import { tokenizeKeywords } from '../model/keyword-filter.js';
import type { ChannelRef } from '../model/subscription.js';
import { newWebhookSecret, webhookSecretProblem } from '../model/webhook-secret.js';
import { isPlatform, PLATFORMS, type Platform } from '../platforms/platform-registry.js';
import type { ChannelScheduleStore } from '../ports/channel-schedule-store.js';
import type { ChannelProblems, DeliveryLog } from '../ports/delivery-log.js';
import { DestinationKeyMissing, type DestinationStore } from '../ports/destination-store.js';
import { DeliveryError } from '../ports/notifier.js';
import type { SubscriptionStore } from '../ports/subscription-store.js';

/** Why a destination change was refused; the CLI prints the message, the panel words it by code. */
export type DestinationProblem =
  | 'not-a-destination-platform'
  | 'bad-name'
  | 'bad-url'
  | 'secret-not-allowed'
  | 'secret-too-short'
  | 'bad-secret'
  | 'unknown-source'
  | 'bad-keywords'
  | 'not-found'
  | 'no-encryption-key';

export class DestinationError extends Error {
  constructor(
    readonly problem: DestinationProblem,
    message: string,
  ) {
    super(message);
    this.name = 'DestinationError';
  }
}

/** A signed webhook's secret must be hard to guess: at least this many characters. */
export const MIN_SECRET_LENGTH = 16;

export interface DestinationServiceDeps {
  store: DestinationStore;
  subscriptions: Pick<SubscriptionStore, 'subscribe' | 'get' | 'followedBy'>;
  schedules: Pick<ChannelScheduleStore, 'get' | 'set'>;
  deliveryLog: Pick<DeliveryLog, 'lastDelivered' | 'problems'>;
  /** Every source of the deployment, for what a destination follows. */
  sourceIds: () => Promise<string[]>;
  /** The source a name means (the default source without one), or null when none is called so. */
  resolveSource: (name: string | undefined) => Promise<string | null>;
  /** Ends every subscription of the channel and forgets what it was owed. */
  unsubscribeAll: (channel: ChannelRef) => Promise<void>;
  /**
   * Throws {@link DestinationUrlError} for a URL the bot must not post to, and
   * {@link DestinationKeyMissing} when nothing can be added at all.
   */
  checkUrl: (url: string) => Promise<void>;
  /** Posts a sample alert to the destination; throws `DeliveryError` when it is refused. */
  sendTest: (channel: ChannelRef) => Promise<{ status: number; body: string }>;
  now?: () => Date;
}

export interface AddDestination {
  platform: string;
  name: string;
  url: string;
  secret?: string | undefined;
  /** The source to follow; the deployment's default when absent. */
  source?: string | undefined;
  /** Typed as in `/news 구독` (`탄소 -해외 "탄소 중립"`). */
  keywords?: string | undefined;
}

export interface AddedDestination {
  channel: ChannelRef;
  outcome: 'added' | 'replaced';
  sourceId: string;
  /** A signed webhook's secret the bot made, shown once: the receiver needs it. */
  generatedSecret: string | null;
}

/** A destination as the CLI and the panel list it. */
export interface DestinationDetails extends DestinationView {
  subscriptions: Array<{ sourceId: string; keywords: string[] }>;
  schedule: ChannelSchedule;
  lastAlert: { sourceId: string; boardNo: number; at: Date } | null;
  problems: ChannelProblems;
}

/** What a test alert met: the destination's answer, or why it failed. */
export type TestOutcome =
  | { ok: true; status: number; body: string }
  | { ok: false; kind: DeliveryError['kind'] | 'error'; message: string };

/**
 * The operator's webhook destinations (Teams, JANDI, Dooray!, signed webhooks): add, list,
 * remove, test and schedule them; the CLI's `destinations` commands and the control panel
 * both go through here, so both check the same things.
 */
export class DestinationService {
  constructor(private readonly deps: DestinationServiceDeps) {}

  /** The destination `platform:name` names; throws {@link DestinationError} for anything else. */
  channelOf(platform: string, name: string): ChannelRef {
    if (!isPlatform(platform) || !PLATFORMS[platform].destinations) {
      const known = Object.entries(PLATFORMS)
        .filter(([, entry]) => entry.destinations)
        .map(([id]) => id)
        .join(', ');
      throw new DestinationError(
        'not-a-destination-platform',
        `"${platform}" is not a destination platform: one of ${known}`,
      );
    }
    if (!DESTINATION_NAME.test(name)) {
      throw new DestinationError(
        'bad-name',
        `"${name}" is not a destination name: 1–40 lower-case letters, digits, _ or -, first a letter or digit`,
      );
    }
    return { platform, workspaceId: DESTINATION_WORKSPACE, channelId: name };
  }

  /**
   * Adds the destination (or replaces its URL, secret and subscription to the source) and
   * subscribes it. A signed webhook without a secret gets one made for it.
   */
  async add(input: AddDestination): Promise<AddedDestination> {
    const channel = this.channelOf(input.platform, input.name);
    const signed = channel.platform === 'webhook';
    if (!signed && input.secret !== undefined) {
      throw new DestinationError(
        'secret-not-allowed',
        `${PLATFORMS[channel.platform].label} signs nothing: --secret is for webhook destinations`,
      );
    }
    if (input.secret !== undefined && input.secret.length < MIN_SECRET_LENGTH) {
      throw new DestinationError(
        'secret-too-short',
        `the secret must be at least ${MIN_SECRET_LENGTH} characters`,
      );
    }
    const secretProblem = input.secret === undefined ? null : webhookSecretProblem(input.secret);
    if (secretProblem !== null) throw new DestinationError('bad-secret', secretProblem);
    const keywords = this.keywords(input.keywords);
    const sourceId = await this.deps.resolveSource(input.source);
    if (sourceId === null) {
      throw new DestinationError('unknown-source', `no source is called "${input.source ?? ''}"`);
    }
    try {
      await this.deps.checkUrl(input.url);
    } catch (error) {
      if (error instanceof DestinationUrlError) {
        throw new DestinationError('bad-url', `the URL ${error.message}`);
      }
      if (error instanceof DestinationKeyMissing) {
        throw new DestinationError('no-encryption-key', error.message);
      }
      throw error;
    }
    // In the Standard Webhooks form, which receivers' libraries take as it is.
    const generatedSecret = signed && input.secret === undefined ? newWebhookSecret() : null;
    const at = this.now();
    let outcome: 'added' | 'replaced';
    try {
      outcome = await this.deps.store.put(
        channel,
        { url: input.url, secret: signed ? (input.secret ?? generatedSecret) : null },
        at,
      );
    } catch (error) {
      if (error instanceof DestinationKeyMissing) {
        throw new DestinationError('no-encryption-key', error.message);
      }
      throw error;
    }
    await this.deps.subscriptions.subscribe(sourceId, {
      ...channel,
      keywords,
      createdAt: at.toISOString(),
    });
    return { channel, outcome, sourceId, generatedSecret };
  }

  async list(platform?: Platform): Promise<DestinationDetails[]> {
    const views = await this.deps.store.list(platform);
    return Promise.all(views.map((view) => this.details(view)));
  }

  async get(channel: ChannelRef): Promise<DestinationDetails> {
    const view = await this.deps.store.get(channel);
    if (!view) throw this.notFound(channel);
    return this.details(view);
  }

  /** Ends its subscriptions, forgets what it was owed, and deletes its URL and secret. */
  async remove(channel: ChannelRef): Promise<void> {
    if (!(await this.deps.store.get(channel))) throw this.notFound(channel);
    await this.deps.unsubscribeAll(channel);
    await this.deps.store.remove(channel);
  }

  /**
   * Sends a sample alert and says what the destination answered. A destination that takes
   * it is working again: a broken mark is cleared, and what it was owed goes out.
   */
  async test(channel: ChannelRef): Promise<TestOutcome> {
    if (!(await this.deps.store.get(channel))) throw this.notFound(channel);
    try {
      const answer = await this.deps.sendTest(channel);
      await this.deps.store.markWorking(channel);
      return { ok: true, ...answer };
    } catch (error) {
      if (error instanceof DeliveryError) {
        return { ok: false, kind: error.kind, message: error.message };
      }
      return { ok: false, kind: 'error', message: (error as Error).message };
    }
  }

  /** Sets the digest times and quiet hours (`null` turns one off; `undefined` leaves it). */
  async schedule(channel: ChannelRef, change: Partial<ChannelSchedule>): Promise<ChannelSchedule> {
    if (!(await this.deps.store.get(channel))) throw this.notFound(channel);
    const current = (await this.deps.schedules.get(channel)) ?? NO_SCHEDULE;
    const next: ChannelSchedule = {
      digest: change.digest === undefined ? current.digest : change.digest,
      quiet: change.quiet === undefined ? current.quiet : change.quiet,
    };
    await this.deps.schedules.set(channel, next);
    return next;
  }

  private async details(view: DestinationView): Promise<DestinationDetails> {
    const { channel } = view;
    const [followed, schedule, lastAlert, problems] = await Promise.all([
      this.deps.subscriptions.followedBy(channel),
      this.deps.schedules.get(channel),
      this.deps.deliveryLog.lastDelivered(channel),
      this.deps.deliveryLog.problems(channel),
    ]);
    const subscriptions = await Promise.all(
      followed.map(async (sourceId) => ({
        sourceId,
        keywords: (await this.deps.subscriptions.get(sourceId, channel))?.keywords ?? [],
      })),
    );
    return { ...view, subscriptions, schedule: schedule ?? NO_SCHEDULE, lastAlert, problems };
  }

  private keywords(text: string | undefined): string[] {
    if (text === undefined || text.trim() === '') return [];
    const read = tokenizeKeywords(text);
    if (!read.ok) {
      throw new DestinationError(
        'bad-keywords',
        `the keywords cannot be read (${read.error.code})`,
      );
    }
    return read.tokens;
  }

  private notFound(channel: ChannelRef): DestinationError {
    return new DestinationError(
      'not-found',
      `no destination ${channel.platform}:${channel.channelId}`,
    );
  }

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }
}
