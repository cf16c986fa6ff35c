import type { DestinationSecrets } from '../../src/model/destination.js';
import type { NewsDigest } from '../../src/model/news-digest.js';
import type { NewsMessage, SourceNotice } from '../../src/model/news-message.js';
import type { DeliveryError } from '../../src/ports/notifier.js';
import type { DestinationAnswer } from './destination-http.js';

/** What one message to a destination is about, for formats that say so (signed webhooks). */
export interface RenderContext {
  /** The same for every retry of one (post, destination) delivery: a receiver's de-duplication key. */
  deliveryId: string;
  /** The platform's plainest form, after the rich one was refused. */
  plain: boolean;
  /** When the message is rendered (signed webhooks stamp it). */
  now: Date;
  /** A sample alert the operator asked for (`destinations test`), not a real one. */
  test?: boolean;
}

/** A correction a platform cannot make in place: a follow-up naming the alert it corrects. */
export interface CorrectionContext extends RenderContext {
  /** The delivery id of the alert being corrected (what `send` returned). */
  corrects: string;
}

/**
 * One destination platform's message format: how each kind of message becomes a JSON body,
 * with the headers it needs, and what of a 2xx answer still means failure. Everything else
 * (finding the URL, spacing, sizes, failures) is {@link DestinationNotifier}'s.
 */
export interface DestinationFormat {
  /** The largest body, in UTF-8 bytes, the platform takes; larger is refused before sending. */
  readonly maxBytes: number;
  alert(message: NewsMessage, context: RenderContext): unknown;
  /** `message` is already marked `[정정]`; the follow-up must name the alert it corrects. */
  correction(message: NewsMessage, context: CorrectionContext): unknown;
  digest(digest: NewsDigest, context: RenderContext): unknown;
  notice(notice: SourceNotice, context: RenderContext): unknown;
  /** Headers for this body: a content type of the platform's own, a signature. */
  headers?(
    body: string,
    secrets: DestinationSecrets,
    context: RenderContext,
  ): Record<string, string>;
  /** A failure the platform reports with a 2xx status (Dooray!'s `isSuccessful: false`), else null. */
  failureIn?(answer: DestinationAnswer): DeliveryError | null;
}
