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
 * Teams' limit on a webhook message: "The message size limit is 28 KB. When the size exceeds
 * 28 KB, you receive an error" (Microsoft Learn, Create Incoming Webhooks, which also covers
 * Workflows webhooks), read as 28,000 bytes of the JSON body, the stricter reading of "KB".
 */
export const TEAMS_MAX_BYTES = 28_000;
/**
 * What a rendering aims at: well under the limit, since senders report cards refused a little
 * short of 28 KB (the envelope and Power Automate's own wrapping count too).
 */
const BUDGET = 24_000;
/** Room kept in a digest for its heading and the line naming what was left out. */
const DIGEST_RESERVE = 2_000;

/**
 * Teams renders Adaptive Cards up to 1.5 (Copilot Studio docs: "Teams is also limited to
 * version 1.5"); 1.4 covers every element used here (RichTextBlock 1.2, a Container's
 * `selectAction` 1.1) and Teams clients a version or two behind. The plain form is 1.0: only
 * TextBlocks, which every client has rendered from the start.
 */
const CARD_VERSION = '1.4';
const PLAIN_VERSION = '1.0';
const SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';
/** The button that opens the post. */
const OPEN_POST = '자세히 보기';

/** Display lengths in UTF-16 units; ordinary values are far shorter. */
const MAX = {
  heading: 200,
  title: 500,
  ministry: 300,
  date: 100,
  source: 200,
  /** Summaries are read at 200 characters; an archived or hostile one is cut here. */
  summary: 600,
  digestTitle: 200,
  digestFacts: 400,
  more: 300,
  noticeError: 1000,
  attachmentName: ATTACHMENT_NAME_MAX,
  carriers: CARRIERS_MAX,
} as const;

type Element = Record<string, unknown>;

/** The message a Workflows webhook takes: one Adaptive Card as an attachment. */
function cardMessage(version: string, body: Element[], actions: Element[] = []) {
  return {
    type: 'message',
    attachments: [
      {
        contentType: CARD_TYPE,
        contentUrl: null,
        content: {
          $schema: SCHEMA,
          type: 'AdaptiveCard',
          version,
          body,
          ...(actions.length > 0 ? { actions } : {}),
        },
      },
    ],
  };
}

/**
 * Text the card shows as written: a TextRun is never read as Markdown ("Markdown is not
 * supported", Adaptive Cards schema, TextRun), where a TextBlock or a fact would turn a
 * post's `[x](javascript:…)` or `**` into a link or emphasis.
 */
function run(text: string, style: Element = {}): Element {
  return { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text, ...style }] };
}

/** A TextBlock is Markdown (Teams, Format cards): only for inert text in the plain form. */
function textBlock(text: string): Element {
  return { type: 'TextBlock', text, wrap: true };
}

function openUrl(title: string, url: string): Element {
  return { type: 'Action.OpenUrl', title, url };
}

/** A fact's value is Markdown too (Teams, Format cards: `Fact.Title` and `Fact.Value`). */
const fact = (title: string, value: string, max: number) => ({
  title,
  value: inertText(cutText(value, max)),
});

function facts(post: DisplayPost): Element {
  const list = [
    fact(LABELS.ministry, post.ministry, MAX.ministry),
    fact(LABELS.date, post.date, MAX.date),
  ];
  if (post.embargo) list.push({ title: LABELS.embargo, value: post.embargo });
  list.push({ title: LABELS.boardNo, value: post.boardNo });
  if (post.source) list.push(fact(LABELS.source, post.source, MAX.source));
  if (post.alsoCarriedBy) list.push(fact(LABELS.alsoCarriedBy, post.alsoCarriedBy, MAX.carriers));
  return { type: 'FactSet', facts: list };
}

/**
 * The files under the facts: `첨부` and each file's name as a TextRun (never Markdown) in a
 * Container that opens the file, as a digest's entries open their posts; a file without a
 * usable link (or whose link would pass the links' budget, see `filesWithin`) is its name alone. Then
 * `외 첨부 n건`.
 */
function attachments(post: DisplayPost): Element[] {
  if (post.attachments.length === 0) return [];
  const items: Element[] = [run(LABELS.attachments, { weight: 'Bolder', size: 'Small' })];
  for (const file of filesWithin(post)) {
    items.push({
      type: 'Container',
      items: [run(`📎 ${cutText(file.name, MAX.attachmentName)}`, { color: 'Accent' })],
      ...(file.url ? { selectAction: { type: 'Action.OpenUrl', url: file.url } } : {}),
    });
  }
  if (post.moreAttachments > 0) {
    items.push(run(moreAttachmentsText(post.moreAttachments), { isSubtle: true, size: 'Small' }));
  }
  return [{ type: 'Container', items }];
}

function links(post: DisplayPost): Element[] {
  const actions: Element[] = [];
  if (post.url) actions.push(openUrl(OPEN_POST, post.url));
  if (post.originalUrl) actions.push(openUrl(LABELS.original, post.originalUrl));
  return actions;
}

/** The post's fields as inert lines, then its links whole (a cut URL would lead elsewhere). */
function plainLines(post: DisplayPost, withSummary: boolean): string[] {
  const inert = (text: string, max: number) => inertText(cutText(text, max));
  const factLine = [
    `${LABELS.ministry}: ${inert(post.ministry, MAX.ministry)}`,
    `${LABELS.date}: ${inert(post.date, MAX.date)}`,
    ...(post.embargo ? [`${LABELS.embargo}: ${post.embargo}`] : []),
    `${LABELS.boardNo}: ${post.boardNo}`,
    ...(post.source ? [`${LABELS.source}: ${inert(post.source, MAX.source)}`] : []),
  ].join(' · ');
  const lines = [inert(post.title, MAX.title), factLine];
  if (withSummary && post.summary) lines.push(inert(post.summary, MAX.summary));
  if (post.url) lines.push(post.url);
  if (post.originalUrl) lines.push(`${LABELS.original}: ${post.originalUrl}`);
  // Each file's inert name, then its link bare (a TextBlock links it, as it does the post's).
  lines.push(...plainExtraLines(post));
  return lines;
}

function alertCard(message: NewsMessage, plain: boolean, note: string | null) {
  const post = displayPost(message);
  const heading = cutText(alertHeading(message), MAX.heading);
  const corrected = note !== null;
  if (plain) {
    const lines = [
      ...(note ? [inertText(note)] : []),
      inertText(heading),
      ...plainLines(post, !corrected),
    ];
    return cardMessage(PLAIN_VERSION, lines.map(textBlock));
  }
  const body: Element[] = [
    ...(note ? [run(note, { weight: 'Bolder' })] : []),
    run(heading, { isSubtle: true, size: 'Small' }),
    run(cutText(post.title, MAX.title), { weight: 'Bolder', size: 'Medium' }),
    facts(post),
  ];
  // A correction is a short follow-up: what changed, not the lead again.
  if (post.summary && !corrected) body.push(run(cutText(post.summary, MAX.summary)));
  body.push(...attachments(post));
  return cardMessage(CARD_VERSION, body, links(post));
}

/** One listed post of a digest: its title and facts, the whole entry opening the post. */
function digestEntry(message: NewsMessage): Element {
  const post = displayPost(message);
  return {
    type: 'Container',
    items: [
      run(cutText(post.title, MAX.digestTitle), { weight: 'Bolder' }),
      run(cutText(digestFacts(post), MAX.digestFacts), { isSubtle: true, size: 'Small' }),
    ],
    ...(post.url ? { selectAction: { type: 'Action.OpenUrl', url: post.url } } : {}),
  };
}

/** The same entry as inert TextBlocks, the link on its own line. */
function plainDigestEntry(message: NewsMessage): Element[] {
  const post = displayPost(message);
  const blocks = [
    textBlock(`• ${inertText(cutText(post.title, MAX.digestTitle))}`),
    textBlock(inertText(cutText(digestFacts(post), MAX.digestFacts))),
  ];
  if (post.url) blocks.push(textBlock(post.url));
  return blocks;
}

/**
 * Microsoft Teams through a Workflows webhook ("When a Teams webhook request is received"): one
 * Adaptive Card per message. Post text goes into TextRuns, which Teams shows as written; facts
 * and the plain form's TextBlocks are Markdown, so their text is made inert. The card never
 * carries `msteams.entities`, so nothing in it can mention anyone.
 */
export const teamsFormat: DestinationFormat = {
  maxBytes: TEAMS_MAX_BYTES,

  alert: (message, context) => alertCard(message, context.plain, null),

  correction: (message, context) => alertCard(message, context.plain, correctionNote(message)),

  digest(digest: NewsDigest, context) {
    const heading = cutText(digestHeading(digest), MAX.heading);
    const entries = digest.posts.map((post) =>
      context.plain ? plainDigestEntry(post) : digestEntry(post),
    );
    // Twenty ordinary posts take about 10 KB; long titles and links leave posts out whole,
    // named with the ones not listed.
    const { kept, leftOut } = keepWithin(entries, BUDGET - DIGEST_RESERVE);
    const more = digestMoreText(
      digest,
      leftOut.map((index) => digest.posts[index]!.boardNo),
      // Nobody types /news in a webhook's channel.
      { commands: false },
    );
    if (context.plain) {
      const body = [textBlock(inertText(heading)), ...kept.flat()];
      if (more) body.push(textBlock(inertText(cutText(more, MAX.more))));
      return cardMessage(PLAIN_VERSION, body);
    }
    const body = [run(heading, { weight: 'Bolder', size: 'Medium' }), ...(kept as Element[])];
    if (more) body.push(run(cutText(more, MAX.more), { isSubtle: true }));
    return cardMessage(CARD_VERSION, body);
  },

  notice(notice: SourceNotice) {
    const error = notice.error === null ? null : cutText(wellFormed(notice.error), MAX.noticeError);
    const lines = noticeText({ ...notice, error }).split('\n');
    return cardMessage(
      PLAIN_VERSION,
      lines.map((line) => textBlock(inertText(line))),
    );
  },

  failureIn: teamsFailureIn,
};

/**
 * The retired Office 365 connector URLs answered 200 and put a throttle or refusal in the body
 * ("Connectors do not throw 429s": Microsoft Learn, Sending messages to connectors and
 * webhooks, whose sample looks for "Microsoft Teams endpoint returned HTTP error 429"). A URL
 * still of that kind is read the same way; Workflows webhooks answer with real statuses.
 */
export function teamsFailureIn(answer: DestinationAnswer) {
  const said = /Microsoft Teams endpoint returned HTTP error (\d{3})/.exec(answer.body);
  return said ? failureOf(Number(said[1]), answer.body, undefined, Date.now()) : null;
}
