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
  wellFormed,
  type DisplayPost,
  type NewsMessage,
  type SourceNotice,
} from '../../src/model/news-message.js';
import type { DestinationFormat } from '../destinations/destination-format.js';
import {
  ATTACHMENT_NAME_MAX,
  CARRIERS_MAX,
  filesWithin,
  inertText,
  keepWithin,
  linkLabel,
  markdownTarget,
  plainExtraLines,
} from '../destinations/destination-text.js';

/**
 * JANDI's guide (잔디 커넥트 인커밍 웹훅으로 외부 데이터를 잔디로 수신하고 싶습니다) says every
 * request must carry these two headers, and the method must be POST.
 */
export const JANDI_ACCEPT = 'application/vnd.tosslab.jandi-v2+json';
const JANDI_CONTENT_TYPE = 'application/json';
/**
 * JANDI documents no size limit for an incoming webhook; 16,000 bytes (about 5,000 Korean
 * characters) is the bot's own, strict choice, and what the fake holds it to.
 */
export const JANDI_MAX_BYTES = 16_000;
const BUDGET = 14_000;
/** Room kept in a digest for its heading and the line naming what was left out. */
const DIGEST_RESERVE = 1_500;
/** `connectColor` is `#RRGGBB` (the guide's example `#FAC11B`); the green of the other platforms. */
const GREEN = '#2E7D32';

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
  attachmentName: ATTACHMENT_NAME_MAX,
  carriers: CARRIERS_MAX,
} as const;

const inert = (text: string, max: number) => inertText(cutText(text, max));

/**
 * The title as the body's one link: `body` "supports [text](url) links" (the guide's example
 * is `[[PizzaHouse]](http://url_to_text)`), and nothing of the post's own can be one, since
 * its text is inert. Without a usable URL the title is plain text.
 */
function titleLine(post: DisplayPost, max: number): string {
  if (!post.url) return inert(post.title, max);
  return `[${linkLabel(cutText(post.title, max))}](${markdownTarget(post.url)})`;
}

function connectInfo(post: DisplayPost) {
  const info: { title: string; description: string }[] = [
    { title: LABELS.ministry, description: inert(post.ministry, MAX.ministry) },
    { title: LABELS.date, description: inert(post.date, MAX.date) },
  ];
  if (post.embargo) info.push({ title: LABELS.embargo, description: post.embargo });
  info.push({ title: LABELS.boardNo, description: post.boardNo });
  if (post.source) info.push({ title: LABELS.source, description: inert(post.source, MAX.source) });
  if (post.originalUrl) info.push({ title: LABELS.original, description: post.originalUrl });
  if (post.alsoCarriedBy) {
    info.push({
      title: LABELS.alsoCarriedBy,
      description: inert(post.alsoCarriedBy, MAX.carriers),
    });
  }
  return info;
}

/**
 * `첨부: [이름.hwpx](url) · 이름.pdf · 외 첨부 2건` for the body, where JANDI documents its
 * `[text](url)` links (the blocks' are not): each name a link to its file when it has a usable
 * one, inert like every name. `null` without files.
 */
function attachmentsLine(post: DisplayPost): string | null {
  if (post.attachments.length === 0) return null;
  const parts = filesWithin(post).map((file) => {
    const name = cutText(file.name, MAX.attachmentName);
    return file.url ? `[${linkLabel(name)}](${markdownTarget(file.url)})` : inertText(name);
  });
  if (post.moreAttachments > 0) parts.push(moreAttachmentsText(post.moreAttachments));
  return `${LABELS.attachments}: ${parts.join(' · ')}`;
}

/** Every field as inert lines, then each link whole: the body alone, JANDI's plainest message. */
function plainBody(lead: string[], post: DisplayPost, withSummary: boolean): { body: string } {
  const lines = [
    ...lead,
    inert(post.title, MAX.title),
    [
      `${LABELS.ministry}: ${inert(post.ministry, MAX.ministry)}`,
      `${LABELS.date}: ${inert(post.date, MAX.date)}`,
      ...(post.embargo ? [`${LABELS.embargo}: ${post.embargo}`] : []),
      `${LABELS.boardNo}: ${post.boardNo}`,
      ...(post.source ? [`${LABELS.source}: ${inert(post.source, MAX.source)}`] : []),
    ].join(' · '),
  ];
  if (withSummary && post.summary) lines.push(inert(post.summary, MAX.summary));
  if (post.url) lines.push(post.url);
  if (post.originalUrl) lines.push(`${LABELS.original}: ${post.originalUrl}`);
  // Each file's inert name with its link bare: the plain body holds no `[text](url)`.
  lines.push(...plainExtraLines(post));
  return { body: lines.join('\n') };
}

function alertMessage(message: NewsMessage, plain: boolean, note: string | null) {
  const post = displayPost(message);
  const heading = inert(alertHeading(message), MAX.heading);
  const lead = note ? [inertText(note), heading] : [heading];
  // A correction is a short follow-up: what changed, not the lead again.
  const withSummary = note === null;
  if (plain) return plainBody(lead, post, withSummary);
  const body = [...lead, titleLine(post, MAX.title)];
  if (withSummary && post.summary) body.push(inert(post.summary, MAX.summary));
  const files = attachmentsLine(post);
  if (files) body.push(files);
  return { body: body.join('\n'), connectColor: GREEN, connectInfo: connectInfo(post) };
}

function digestEntry(message: NewsMessage, plain: boolean): string {
  const post = displayPost(message);
  const facts = inert(digestFacts(post), MAX.digestFacts);
  if (!plain) return `${titleLine(post, MAX.digestTitle)}\n${facts}`;
  return [`• ${inert(post.title, MAX.digestTitle)}`, facts, ...(post.url ? [post.url] : [])].join(
    '\n',
  );
}

/**
 * JANDI through an incoming webhook (잔디 커넥트 → Webhook 수신): `body` is the message, with
 * the title as its one link; `connectInfo` holds the facts under a coloured bar. Post text is
 * inert everywhere, since JANDI does not say which fields read Markdown.
 */
export const jandiFormat: DestinationFormat = {
  maxBytes: JANDI_MAX_BYTES,

  alert: (message, context) => alertMessage(message, context.plain, null),

  correction: (message, context) => alertMessage(message, context.plain, correctionNote(message)),

  digest(digest: NewsDigest, context) {
    const entries = digest.posts.map((post) => digestEntry(post, context.plain));
    const { kept, leftOut } = keepWithin(entries, BUDGET - DIGEST_RESERVE);
    const more = digestMoreText(
      digest,
      leftOut.map((index) => digest.posts[index]!.boardNo),
      // Nobody types /news in a webhook's channel.
      { commands: false },
    );
    const parts = [inert(digestHeading(digest), MAX.heading), ...kept];
    if (more) parts.push(inert(more, MAX.more));
    return { body: parts.join('\n\n') };
  },

  notice(notice: SourceNotice) {
    const error = notice.error === null ? null : cutText(wellFormed(notice.error), MAX.noticeError);
    const lines = noticeText({ ...notice, error }).split('\n');
    return { body: lines.map((line) => inertText(line)).join('\n') };
  },

  headers: () => ({ accept: JANDI_ACCEPT, 'content-type': JANDI_CONTENT_TYPE }),
};
