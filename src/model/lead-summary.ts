import { searchableText } from './searchable-text.js';
import { SUMMARY_MAX_LENGTH } from './post.js';

/**
 * The lead of a Korean press release: its first sentence, and the second when both fit,
 * taken from the body's lines (one per paragraph, HTML already stripped) with the
 * boilerplate such releases carry left out. At most `max` characters, cut at a word with
 * `…` when the first sentence alone is longer. `null` when nothing worth showing is left
 * (no body, only boilerplate, or text that only repeats the title).
 */
export function leadSummary(
  lines: readonly string[],
  options: { title?: string | null; max?: number } = {},
): string | null {
  const max = options.max ?? SUMMARY_MAX_LENGTH;
  const body = bodyLines(lines, options.title ?? null);
  if (body.length === 0) return null;

  const sentences = leadingSentences(body.join('\n'));
  let lead: string;
  if (sentences.length === 0) {
    // No sentence ends anywhere (a list, a caption-like body): its first line stands in.
    lead = body[0]!;
  } else {
    lead = sentences[0]!;
    const both = sentences[1] === undefined ? null : `${lead} ${sentences[1]}`;
    if (both !== null && both.length <= max) lead = both;
  }
  lead = cutAtWord(lead, max);
  if (lead.replace(/[\s…]/g, '').length < MIN_LENGTH) return null;
  if (options.title && sameText(lead, options.title)) return null;
  return lead;
}

/** Shorter leads say nothing a title does not (`본문`, `사진`). */
const MIN_LENGTH = 8;

/** Bullets Korean releases put before paragraphs: □ ■ ○ ● ◎ ◇ ◆ ▷ ▶ • ㅇ and dashes. */
const BULLET = /^(?:[□■○●◎◇◆▷▶►•∙◦ㅇ]|[-–—])\s+/;

/** The release's own end mark (`끝.`, `- 끝 -`, `<끝>`): what follows is contacts and notes. */
const END_MARK = /^[-–<([]?\s*끝\s*[.>)\]]?\s*[-–]?$/;
/** `끝.` after the last sentence of a paragraph (`…당부하였습니다.  끝.`). */
const TRAILING_END = /([.!?。])\s+끝\s*\.?$/;

/**
 * Lines that are never the lead. Each is one kind of boilerplate found in Korean
 * government releases and the boards and feeds that repeat them.
 */
const BOILERPLATE: readonly RegExp[] = [
  // The source line: `(외교부, 2023.07.24)`, `(환경부, 2023. 11. 27.)`.
  /^\(\s*[^()]{1,40}?,\s*\d{4}\s*[.\-/]\s*\d{1,2}\s*[.\-/]\s*\d{1,2}\s*\.?\s*\)$/,
  // Labelled facts and contacts: `담당부서 : 외교부`, `문의: 기후전략과`, `보도일시 …`.
  // Followed by a colon or a bracket, or by one short word (`담당부서 외교부`).
  /^[[<【〈(]?\s*(?:담당\s*부서|담당\s*과|담당자|문의처?|연락처|자료\s*문의|보도\s*문의|책임자|작성자|자료\s*제공|사진\s*제공|보도\s*일시|보도\s*시점|배포\s*일시|엠바고|전화|팩스|e-?mail|이메일|tel|fax)(?:\s*[:：=\]>】〉)]|\s+\S{1,20}$)/i,
  // Words that only ever start boilerplate, whatever follows.
  /^[[<【〈(]?\s*(?:담당\s*부서|담당자|문의처|연락처|보도\s*일시|보도\s*시점|배포\s*일시|엠바고)/,
  // `배포 즉시 보도 가능`, `즉시 보도`.
  /^(?:배포\s*즉시|즉시\s*보도)/,
  // Headers in brackets: `[보도자료]`, `[사진]`, `<그림 1>`, `[붙임] …`.
  /^[[<【〈(]\s*(?:보도\s*자료|보도\s*참고\s*자료|참고\s*자료|설명\s*자료|해명\s*자료|사진|그림|표|붙임|첨부|별첨|자료\s*제공)/,
  // A lone header: `보도자료`, `보 도 자 료`, `보도참고자료`.
  /^(?:보\s*도\s*자\s*료|보도\s*참고\s*자료|설명\s*자료|해명\s*자료)$/,
  // Attachments: `붙임 1. …`, `첨부: …`.
  /^(?:붙임|첨부|별첨)\s*(?:\d|[:：.]|$)/,
  // Image captions: `▲ 장관이 …`, `사진= 환경부`, `… (사진=환경부)`.
  /^▲/,
  /^(?:사진|그림)\s*[=:：]/,
  /\((?:사진|그림)\s*[=:：][^()]*\)$/,
  // Notes and footnotes: `※ …`, `* 탄소중립: …`.
  /^[※＊*]/,
  // Credits and copyright: `[자료제공 : 정책브리핑]`, `<저작권자 ⓒ …>`, `무단 전재 …`. Only
  // in these forms: 자료 제공 and 저작권 are also ordinary words of ordinary sentences.
  /자료\s*제공\s*[:：=]/,
  /^[<(]?\s*저작권자|ⓒ|©|무단\s*전재|재배포\s*금지|^copyright/i,
  // Contact lines: telephone numbers and e-mail addresses.
  /☎|📞/,
  // A link on its own line.
  /^(?:https?:\/\/|www\.)\S*$/i,
];
/** A line with a telephone number or an e-mail address is a contact unless it is long prose. */
const CONTACT = /\d{2,4}[-.)]\s?\d{3,4}[-.]\d{4}|[\w.+-]+@[\w-]+\.[\w.-]+/;
const CONTACT_LINE_MAX = 80;

/** The body's lines that may hold the lead, in order, compacted, boilerplate left out. */
function bodyLines(lines: readonly string[], title: string | null): string[] {
  const kept: string[] = [];
  for (const raw of lines) {
    let line = raw.replace(/[\s\u00a0\u3000]+/g, ' ').trim();
    if (END_MARK.test(line)) break;
    line = line.replace(BULLET, '').replace(TRAILING_END, '$1').trim();
    // Nothing to read: `?` where the site lost a character, a lone dash, an empty paragraph.
    if (!/[\p{L}\p{N}]/u.test(line)) continue;
    if (BOILERPLATE.some((pattern) => pattern.test(line))) continue;
    if (line.length <= CONTACT_LINE_MAX && CONTACT.test(line)) continue;
    // Bodies that open with the title again.
    if (title && sameText(line, title)) continue;
    kept.push(line);
  }
  return kept;
}

/**
 * The first two complete sentences of `text` (lines joined with `\n`). A sentence that runs
 * across lines started on the last of them: the lines before it are headings or a deck
 * (`- 2030년까지 1조 원 투입`), not the lead.
 */
function leadingSentences(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  let depth = 0;
  for (let i = 0; i < text.length && sentences.length < 2; i++) {
    const char = text[i]!;
    if (char === '\n') {
      // An unclosed bracket ends with its line, so one stray `(` cannot swallow the body.
      depth = 0;
      continue;
    }
    if (OPEN.has(char)) depth++;
    else if (CLOSE.has(char)) depth = Math.max(0, depth - 1);
    if (depth > 0 || !TERMINAL.has(char) || !endsSentence(text, i)) continue;
    let end = i + 1;
    while (end < text.length && CLOSING_AFTER_END.has(text[end]!)) end++;
    const span = text.slice(start, end);
    const sentence = span.slice(span.lastIndexOf('\n') + 1).trim();
    if (sentence) sentences.push(sentence);
    start = end;
    i = end - 1;
  }
  return sentences;
}

const TERMINAL = new Set(['.', '!', '?', '。']);
const OPEN = new Set(['(', '[', '{', '（', '［', '「', '『', '【', '〈', '《']);
const CLOSE = new Set([')', ']', '}', '）', '］', '」', '』', '】', '〉', '》']);
/** Quotes and brackets that close right after a sentence's end: `…했다.”`. */
const CLOSING_AFTER_END = new Set(['"', '”', '’', "'", '」', '』', ')', '）']);

/**
 * Whether the mark at `i` ends a sentence: white space or the end after it (past closing
 * quotes), and not a number (`7.24.(월)`, `2.5%`, `1. 개요`) or an initial (`Wendy R. Sherman`).
 */
function endsSentence(text: string, i: number): boolean {
  let after = i + 1;
  while (after < text.length && CLOSING_AFTER_END.has(text[after]!)) after++;
  if (after < text.length && !/\s/.test(text[after]!)) return false;
  if (text[i] !== '.') return true;
  const before = text[i - 1] ?? '';
  if (/\d/.test(before)) return false;
  // A lone capital letter before the period is an initial or part of `U.S.`.
  return !(/[A-Z]/.test(before) && !/[A-Za-z]/.test(text[i - 2] ?? ''));
}

/**
 * `text` within `max` UTF-16 units: whole when it fits, else cut with `…` at the last space
 * in the final fifth, or hard when there is none (Korean runs long between spaces). Never
 * inside a surrogate pair.
 */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  if (/[\uDC00-\uDFFF]/.test(text[end] ?? '')) end--;
  const space = text.lastIndexOf(' ', end);
  if (space >= Math.floor(max * 0.8)) end = space;
  return `${text
    .slice(0, end)
    .trimEnd()
    .replace(/[,，·:;]+$/, '')}…`;
}

function sameText(a: string, b: string): boolean {
  const plain = (text: string) => searchableText(text).replace(/[\s\p{P}\p{S}]+/gu, '');
  return plain(a) === plain(b);
}
