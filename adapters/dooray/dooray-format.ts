import {
  digestFacts,
  digestHeading,
  digestMoreText,
  type NewsDigest,
} from '../../src/model/news-digest.js';
import {
  alertHeading,
  correctionNote,
  cutText,
  displayPost,
  LABELS,
  moreAttachmentsText,
  noticeText,
  oneLine,
  wellFormed,
  type DisplayPost,
  type NewsMessage,
  type SourceNotice,
} from '../../src/model/news-message.js';
import { DeliveryError } from '../../src/ports/notifier.js';
import type { DestinationFormat } from '../destinations/destination-format.js';
import { failureOf, type DestinationAnswer } from '../destinations/destination-http.js';
import {
  ATTACHMENT_NAME_MAX,
  CARRIERS_MAX,
  filesWithin,
  inertText,
  keepWithin,
  plainExtraLines,
} from '../destinations/destination-text.js';

/**
 * Dooray! documents no size limit for an incoming hook; 16,000 bytes (about 5,000 Korean
 * characters) is the bot's own, strict choice, and what the fake holds it to.
 */
export const DOORAY_MAX_BYTES = 16_000;
const BUDGET = 14_000;
/** Room kept in a digest for its heading and the line naming what was left out. */
const DIGEST_RESERVE = 1_500;
/** The sender's name and picture in the chat room (the guide's own bot image). */
const BOT_NAME = 'ESG 정책뉴스';
const BOT_ICON = 'https://static.dooray.com/static_images/dooray-bot.png';
/** Attachment colours are names in Dooray!'s guide (`red`, `green`). */
const COLOR = 'green';

const MAX = {
  heading: 200,
  title: 500,
  ministry: 300,
  date: 100,
  source: 200,
  summary: 600,
  digestTitle: 200,
  digestFacts: 400,
  more: 300,
  noticeError: 1000,
} as const;

const inert = (text: string, max: number) => inertText(cutText(text, max));

/** The hook's message: Dooray! says nothing of which fields read Markdown, so all are inert. */
function hookMessage(text: string, attachments: Record<string, string>[] = []) {
  return {
    botName: BOT_NAME,
    botIconImage: BOT_ICON,
    text,
    ...(attachments.length > 0 ? { attachments } : {}),
  };
}

function factLine(post: DisplayPost): string {
  return [
    `${LABELS.ministry}: ${inert(post.ministry, MAX.ministry)}`,
    `${LABELS.date}: ${inert(post.date, MAX.date)}`,
    ...(post.embargo ? [`${LABELS.embargo}: ${post.embargo}`] : []),
    `${LABELS.boardNo}: ${post.boardNo}`,
    ...(post.source ? [`${LABELS.source}: ${inert(post.source, MAX.source)}`] : []),
  ].join(' · ');
}

/** The post as an attachment: its title linking to it, facts and lead in the coloured box. */
function postAttachments(post: DisplayPost, withSummary: boolean): Record<string, string>[] {
  const text = [factLine(post)];
  if (withSummary && post.summary) text.push(inert(post.summary, MAX.summary));
  if (post.alsoCarriedBy) {
    text.push(`${LABELS.alsoCarriedBy}: ${inert(post.alsoCarriedBy, CARRIERS_MAX)}`);
  }
  const attachments: Record<string, string>[] = [
    {
      title: inert(post.title, MAX.title),
      ...(post.url ? { titleLink: post.url } : {}),
      text: text.join('\n'),
      color: COLOR,
    },
  ];
  if (post.originalUrl) {
    attachments.push({ title: LABELS.original, titleLink: post.originalUrl, color: COLOR });
  }
  // Each file as the original release is: a box whose title opens it (its name alone without
  // a usable link), then one naming how many are left out.
  for (const file of filesWithin(post)) {
    const title = `${LABELS.attachments}: ${inert(file.name, ATTACHMENT_NAME_MAX)}`;
    attachments.push({ title, ...(file.url ? { titleLink: file.url } : {}), color: COLOR });
  }
  if (post.moreAttachments > 0) {
    attachments.push({ text: moreAttachmentsText(post.moreAttachments), color: COLOR });
  }
  return attachments;
}

function plainLines(post: DisplayPost, withSummary: boolean): string[] {
  const lines = [inert(post.title, MAX.title), factLine(post)];
  if (withSummary && post.summary) lines.push(inert(post.summary, MAX.summary));
  if (post.url) lines.push(post.url);
  if (post.originalUrl) lines.push(`${LABELS.original}: ${post.originalUrl}`);
  lines.push(...plainExtraLines(post));
  return lines;
}

function alertMessage(message: NewsMessage, plain: boolean, note: string | null) {
  const post = displayPost(message);
  const lead = [...(note ? [inertText(note)] : []), inert(alertHeading(message), MAX.heading)];
  // A correction is a short follow-up: what changed, not the lead again.
  const withSummary = note === null;
  if (plain) return hookMessage([...lead, ...plainLines(post, withSummary)].join('\n'));
  return hookMessage(lead.join('\n'), postAttachments(post, withSummary));
}

/**
 * Dooray! through a chat room's incoming hook (설정 → 서비스 연동 → Incoming): `text` says what
 * the message is, and each post is an attachment whose title links to it. The plain form is
 * `text` alone.
 */
export const doorayFormat: DestinationFormat = {
  maxBytes: DOORAY_MAX_BYTES,

  alert: (message, context) => alertMessage(message, context.plain, null),

  correction: (message, context) => alertMessage(message, context.plain, correctionNote(message)),

  digest(digest: NewsDigest, context) {
    const heading = inert(digestHeading(digest), MAX.heading);
    const entries = digest.posts.map((message) => {
      const post = displayPost(message);
      const facts = inert(digestFacts(post), MAX.digestFacts);
      if (context.plain) {
        return [
          `• ${inert(post.title, MAX.digestTitle)}`,
          facts,
          ...(post.url ? [post.url] : []),
        ].join('\n');
      }
      const title = inert(post.title, MAX.digestTitle);
      return { title, ...(post.url ? { titleLink: post.url } : {}), text: facts, color: COLOR };
    });
    const { kept, leftOut } = keepWithin<string | Record<string, string>>(
      entries,
      BUDGET - DIGEST_RESERVE,
    );
    const more = digestMoreText(
      digest,
      leftOut.map((index) => digest.posts[index]!.boardNo),
      // Nobody types /news in a webhook's channel.
      { commands: false },
    );
    const moreText = more ? inert(more, MAX.more) : null;
    if (context.plain) {
      return hookMessage(
        [heading, ...(kept as string[]), ...(moreText ? [moreText] : [])].join('\n\n'),
      );
    }
    const attachments = kept as Record<string, string>[];
    if (moreText) attachments.push({ text: moreText });
    return hookMessage(heading, attachments);
  },

  notice(notice: SourceNotice) {
    const error = notice.error === null ? null : cutText(wellFormed(notice.error), MAX.noticeError);
    const lines = noticeText({ ...notice, error }).split('\n');
    return hookMessage(lines.map((line) => inertText(line)).join('\n'));
  },

  failureIn: doorayFailureIn,
};

/** The HTTP statuses Dooray!'s API reference names for its answers (응답 결과 해석). */
const DOORAY_STATUSES = new Set([400, 401, 403, 404, 409, 415, 429, 500]);

/**
 * Dooray! may answer HTTP 200 with `{"header":{"isSuccessful":false,"resultCode":…,
 * "resultMessage":…}}`: the message was not posted.
 *
 * Confirmed (Dooray! API reference, 응답 결과 해석): answers pair an HTTP status with this
 * `header`; the statuses it uses are 400, 401, 403, 404, 409, 415, 429 and 500; and
 * `resultMessage` is for people, changes without notice and must not drive program logic, so it
 * is only quoted. Not confirmed: which `resultCode`s the incoming hook itself answers with, since
 * none are published. So a `resultCode` that is one of those statuses is read as that status
 * would be (404: the hook is gone), and any other is `transient`: retried with back-off until
 * the delivery gives up, never `permanent` on a guess, which would mark the destination broken.
 */
export function doorayFailureIn(answer: DestinationAnswer): DeliveryError | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    return null;
  }
  const header = (parsed as { header?: unknown } | null)?.header;
  if (typeof header !== 'object' || header === null) return null;
  const { isSuccessful, resultCode, resultMessage } = header as Record<string, unknown>;
  if (isSuccessful !== false) return null;
  const code =
    typeof resultCode === 'number' || typeof resultCode === 'string'
      ? cutText(oneLine(String(resultCode)), 40)
      : 'none';
  const said = typeof resultMessage === 'string' ? cutText(oneLine(resultMessage), 200) : '';
  const message = `Dooray! did not post the message (resultCode ${code}${said ? `: ${said}` : ''})`;
  const status = Number(code);
  if (DOORAY_STATUSES.has(status)) {
    const like = failureOf(status, '', undefined, Date.now());
    return new DeliveryError(like.kind, message, { ...like.details, code: `dooray-${code}` });
  }
  return new DeliveryError('transient', message, { code: `dooray-${code}` });
}
