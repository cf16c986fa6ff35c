import { createHmac } from 'node:crypto';
import type { DestinationSecrets } from '../../src/model/destination.js';
import { digestPlainText, type NewsDigest } from '../../src/model/news-digest.js';
import {
  correctionNote,
  noticeText,
  plainText,
  type NewsMessage,
  type SourceNotice,
} from '../../src/model/news-message.js';
import { webhookSigningKey } from '../../src/model/webhook-secret.js';
import { DeliveryError } from '../../src/ports/notifier.js';
import { USER_AGENT } from '../../src/util/about.js';
import type { DestinationFormat, RenderContext } from '../destinations/destination-format.js';
import {
  noticeType,
  WEBHOOK_EVENT_VERSION,
  webhookEventId,
  webhookPost,
  webhookSource,
  type WebhookEvent,
  type WebhookEventType,
  type WebhookPost,
} from './webhook-event.js';

/**
 * The largest event sent: 100 KB, what Express's JSON parser (under many in-house receivers)
 * takes by default, and far below what hosted automation tools take. The largest real event,
 * a 20-post digest with long titles and full leads, is about a third of it (34 KB; an alert
 * is 2–3 KB).
 */
export const WEBHOOK_MAX_BYTES = 100 * 1024;

/**
 * The bytes a digest's files may take in all. Real releases carry a few files with short
 * links (a 20-post digest's are ~20 KB); twenty posts of twenty 2,000-character links would be
 * 800 KB, so past this a post's remaining files are counted in `moreAttachments` instead.
 */
const DIGEST_ATTACHMENTS_BYTES = 48 * 1024;

/**
 * Signed webhooks: one JSON event per request (see `webhook-event.ts`), signed as Standard
 * Webhooks specifies, so that receivers can check it with that specification's libraries (or
 * the ten lines in the README) instead of a scheme of the bot's own:
 *
 * - `webhook-id`: the event's `id`, the same on every retry of one delivery;
 * - `webhook-timestamp`: when this attempt was signed, in Unix seconds (receivers refuse old
 *   ones, so a captured request cannot be replayed later);
 * - `webhook-signature`: `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body` with the
 *   destination's secret (its key as `webhook-secret.ts` says).
 *
 * A webhook has no richer and plainer form: `plain` changes nothing. A receiver's 400, 413 or
 * 422 is `rejected` (it refused this event, not the bot), so the plain retry sends the same
 * event once more, which a one-off refusal lets through and a real one refuses again.
 */
export const webhookFormat: DestinationFormat = {
  maxBytes: WEBHOOK_MAX_BYTES,

  alert(message: NewsMessage, context: RenderContext): WebhookEvent {
    return event(context, context.test ? 'destination.test' : 'news.published', {
      source: webhookSource(message.source),
      post: webhookPost(message),
      text: plainText(message),
    });
  },

  correction(message, context): WebhookEvent {
    return event(context, 'news.corrected', {
      source: webhookSource(message.source),
      post: webhookPost(message),
      corrects: webhookEventId(context.corrects),
      text: `${correctionNote(message)}\n${plainText(message)}`,
    });
  },

  digest(digest: NewsDigest, context): WebhookEvent {
    return event(context, 'news.digest', {
      source: webhookSource(digest.source),
      digest: {
        kind: digest.kind,
        total: digest.posts.length + digest.notListed.length,
        notListed: [...digest.notListed],
      },
      posts: withinBytes(digest.posts.map(webhookPost), DIGEST_ATTACHMENTS_BYTES),
      text: digestPlainText(digest),
    });
  },

  notice(notice: SourceNotice, context): WebhookEvent {
    return event(context, noticeType(notice.kind), {
      source: webhookSource({
        name: notice.sourceId,
        label: notice.sourceLabel ?? notice.sourceId,
      }),
      notice: { since: notice.since, error: notice.kind === 'down' ? notice.error : null },
      text: noticeText(notice, context.now),
    });
  },

  headers(body: string, secrets: DestinationSecrets, context: RenderContext) {
    if (!secrets.secret) {
      // Added without one (by hand in Redis): nothing a receiver could trust would arrive.
      throw new DeliveryError('permanent', 'the webhook destination has no secret to sign with', {
        code: 'no-secret',
      });
    }
    const id = webhookEventId(context.deliveryId);
    const timestamp = String(Math.floor(context.now.getTime() / 1000));
    const signature = createHmac('sha256', webhookSigningKey(secrets.secret))
      .update(`${id}.${timestamp}.${body}`)
      .digest('base64');
    return {
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': `v1,${signature}`,
      'user-agent': USER_AGENT,
    };
  },
};

/**
 * The posts with their files listed, in order, while the files' JSON fits `budget` bytes in
 * all; each file past it is counted in its post's `moreAttachments` instead.
 */
function withinBytes(posts: WebhookPost[], budget: number): WebhookPost[] {
  let used = 0;
  return posts.map((post) => {
    const kept = [];
    for (const file of post.attachments) {
      const size = Buffer.byteLength(JSON.stringify(file)) + 1;
      if (used + size > budget) break;
      kept.push(file);
      used += size;
    }
    const leftOut = post.attachments.length - kept.length;
    return leftOut === 0
      ? post
      : { ...post, attachments: kept, moreAttachments: post.moreAttachments + leftOut };
  });
}

type EventBody = Omit<WebhookEvent, 'version' | 'id' | 'type' | 'sentAt'>;

/** The envelope every event shares, its fields first so that a reader sees what it is. */
function event(context: RenderContext, type: WebhookEventType, body: EventBody): WebhookEvent {
  return {
    version: WEBHOOK_EVENT_VERSION,
    id: webhookEventId(context.deliveryId),
    type,
    sentAt: context.now.toISOString(),
    ...body,
  };
}
