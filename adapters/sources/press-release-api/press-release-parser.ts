import * as cheerio from 'cheerio';
import { hasChildren, isTag, isText, type AnyNode, type Element } from 'domhandler';
import {
  MAX_ATTACHMENT_NAME,
  MAX_ATTACHMENTS_KEPT,
  type Attachment,
} from '../../../src/model/attachment.js';
import { leadSummary } from '../../../src/model/lead-summary.js';
import { SUMMARY_MAX_LENGTH } from '../../../src/model/post.js';
import { httpLink, lastPathSegment } from '../http-link.js';
import { fieldText, htmlLines, MAX_FIELD_INPUT, MAX_MINISTRY, MAX_POST_TITLE } from '../text.js';
import { koreaTimeOf } from './korea-time.js';

/**
 * Reads an answer of the 정책브리핑 보도자료 API (XML only) in the parse worker: the
 * `response` with its header and `NewsItem`s, or the gateway's own error envelope
 * (`OpenAPI_ServiceResponse`). Linear and bounded: the document is a DOM built by
 * htmlparser2 (cheerio's XML mode, iterative), and only known paths of it are walked; every
 * text taken is capped before it is cleaned, items beyond `maxItems` are not looked at.
 */

/** One release as the API describes it, cleaned and bounded, before the reader makes it an item. */
export interface ApiRelease {
  /** `NewsItemId`: the korea.kr `newsId`, digits only. */
  newsId: string;
  /** `ContentsStatus`: `I` new, `U` updated; `null` when absent or unknown. */
  status: 'I' | 'U' | null;
  title: string;
  /** `MinisterCode`, which holds the ministry's name. */
  ministry: string | null;
  /** `ApproveDate` (epoch ms), `null` when it cannot be read. */
  approvedAt: number | null;
  /** `EmbargoDate` (보도시점, epoch ms), `null` when empty or unreadable. */
  embargoAt: number | null;
  /** `ModifyDate` (epoch ms), `null` when absent. */
  modifiedAt: number | null;
  /** `OriginalUrl` when it is an http(s) link to korea.kr; else `null`. */
  originalUrl: string | null;
  /** The lead of `DataContents`, else `SubTitle1`. */
  summary: string | null;
  attachments: Attachment[];
}

/** The API's answer of a list request. */
export interface ApiListAnswer {
  kind: 'list';
  /** `response/header/resultCode` and `resultMsg`, bounded (`''` when absent). */
  resultCode: string;
  resultMsg: string;
  /** The body's paging fields, when it carries them. */
  totalCount: number | null;
  pageNo: number | null;
  numOfRows: number | null;
  /** In the answer's order. */
  releases: ApiRelease[];
  /** How many `NewsItem`s the answer held in all (those past `maxItems` too). */
  itemCount: number;
  skipped: string[];
  /** The answer was cut off: its root never closes. */
  truncated: boolean;
}

/** data.go.kr's gateway refusing the call in its own envelope. */
export interface GatewayAnswer {
  kind: 'gateway';
  errMsg: string;
  returnAuthMsg: string;
  returnReasonCode: string;
}

export type PressReleaseAnswer = ApiListAnswer | GatewayAnswer;

/** Longest text read from a short field (codes, messages, names). */
const MAX_CODE = 200;
/** Longest part of `DataContents` read: the lead is in its first paragraphs. */
const MAX_BODY_INPUT = 60_000;
/** Most nodes visited to read one field's text: a field is a text or a CDATA section. */
const MAX_FIELD_NODES = 256;

/**
 * The API's answer in `xml`, or `null` when it is neither a `response` nor the gateway's
 * envelope (an HTML error page, JSON, something else).
 */
export function parsePressReleases(xml: string, maxItems = Infinity): PressReleaseAnswer | null {
  const $ = cheerio.load(xml, { xml: { xmlMode: true, decodeEntities: true } });
  const root = childElements($.root()[0]!)[0];
  if (!root) return null;
  const truncated = !closesAtEnd(xml, root.name);
  const name = root.name.toLowerCase();
  if (name === 'openapi_serviceresponse') {
    const header = child(root, 'cmmMsgHeader') ?? root;
    return {
      kind: 'gateway',
      errMsg: fieldOf(header, 'errMsg', MAX_CODE),
      returnAuthMsg: fieldOf(header, 'returnAuthMsg', MAX_CODE),
      returnReasonCode: fieldOf(header, 'returnReasonCode', MAX_CODE),
    };
  }
  if (name !== 'response') return null;
  const header = child(root, 'header');
  const body = child(root, 'body');
  const answer: ApiListAnswer = {
    kind: 'list',
    resultCode: header ? fieldOf(header, 'resultCode', MAX_CODE) : '',
    resultMsg: header ? fieldOf(header, 'resultMsg', MAX_CODE) : '',
    totalCount: body ? countOf(body, 'totalCount') : null,
    pageNo: body ? countOf(body, 'pageNo') : null,
    numOfRows: body ? countOf(body, 'numOfRows') : null,
    releases: [],
    itemCount: 0,
    skipped: [],
    truncated,
  };
  // Standard data.go.kr bodies wrap them in `items`; this one lists `NewsItem`s in the body.
  const holder = body ? (child(body, 'items') ?? body) : null;
  for (const element of holder ? childElements(holder) : []) {
    if (element.name.toLowerCase() !== 'newsitem' && element.name.toLowerCase() !== 'item') {
      continue;
    }
    answer.itemCount++;
    if (answer.releases.length + answer.skipped.length >= maxItems) continue;
    const release = readRelease(element);
    if ('skipped' in release) answer.skipped.push(release.skipped);
    else answer.releases.push(release);
  }
  return answer;
}

function readRelease(item: Element): ApiRelease | { skipped: string } {
  const fields = new Map<string, Element>();
  const names: string[] = [];
  const urls: string[] = [];
  for (const element of childElements(item)) {
    const name = element.name.toLowerCase();
    // Repeated pairs, in order; the rest are taken once (the first).
    if (name === 'filename') {
      if (names.length < MAX_ATTACHMENTS_KEPT) names.push(textOf(element, MAX_FIELD_INPUT));
    } else if (name === 'fileurl') {
      if (urls.length < MAX_ATTACHMENTS_KEPT) urls.push(textOf(element, MAX_FIELD_INPUT));
    } else if (!fields.has(name)) fields.set(name, element);
  }
  // Entities left after the XML's own (`&amp;middot;` → `&middot;`) are read as HTML's.
  const field = (name: string, max: number) => {
    const element = fields.get(name.toLowerCase());
    return element ? fieldText(textOf(element, MAX_FIELD_INPUT), max, true) : '';
  };
  const title = field('Title', MAX_POST_TITLE);
  const newsId = field('NewsItemId', MAX_CODE);
  const named = title ? JSON.stringify(title.slice(0, 40)) : '(no title)';
  if (!/^\d{1,15}$/.test(newsId)) {
    return {
      skipped: `item ${named}: NewsItemId ${JSON.stringify(newsId.slice(0, 40))} is not a newsId`,
    };
  }
  if (!title) return { skipped: `item ${newsId}: no title` };
  const status = field('ContentsStatus', MAX_CODE).toUpperCase();
  const original = httpLink(field('OriginalUrl', MAX_FIELD_INPUT));
  const bodyElement = fields.get('datacontents');
  const lead = bodyElement
    ? leadSummary(htmlLines(textOf(bodyElement, MAX_BODY_INPUT)), { title })
    : null;
  const subTitle = field('SubTitle1', SUMMARY_MAX_LENGTH);
  return {
    newsId: String(Number(newsId)),
    status: status === 'I' || status === 'U' ? status : null,
    title,
    ministry: field('MinisterCode', MAX_MINISTRY) || null,
    approvedAt: koreaTimeOf(field('ApproveDate', MAX_CODE)),
    embargoAt: koreaTimeOf(field('EmbargoDate', MAX_CODE)),
    modifiedAt: koreaTimeOf(field('ModifyDate', MAX_CODE)),
    originalUrl: original.ok && isKoreaKr(original.url) ? original.url.toString() : null,
    summary: lead ?? (subTitle || null),
    attachments: attachmentsOf(names, urls),
  };
}

/** `FileName`/`FileUrl` pairs as attachments: http(s) links only, named by the file name or the link's. */
function attachmentsOf(names: readonly string[], urls: readonly string[]): Attachment[] {
  const attachments: Attachment[] = [];
  for (const [i, raw] of urls.entries()) {
    const link = httpLink(fieldText(raw, MAX_FIELD_INPUT));
    if (!link.ok) continue;
    const name =
      fieldText(names[i] ?? '', MAX_ATTACHMENT_NAME, true) ||
      fieldText(lastPathSegment(link.url), MAX_ATTACHMENT_NAME) ||
      '첨부파일';
    attachments.push({ name, url: link.url.toString() });
  }
  return attachments;
}

function isKoreaKr(url: URL): boolean {
  return url.hostname === 'korea.kr' || url.hostname.endsWith('.korea.kr');
}

/** Whether the document ends with the root's closing tag: a cut-off answer does not. */
function closesAtEnd(xml: string, rootName: string): boolean {
  const tail = xml.slice(Math.max(0, xml.length - 4096)).trimEnd();
  return tail.endsWith('>') && new RegExp(`</${rootName}\\s*>$`).test(tail);
}

function childElements(node: AnyNode): Element[] {
  return hasChildren(node) ? node.children.filter(isTag) : [];
}

/** The first child element called `name` (any case). */
function child(parent: Element, name: string): Element | undefined {
  const wanted = name.toLowerCase();
  return childElements(parent).find((element) => element.name.toLowerCase() === wanted);
}

function fieldOf(parent: Element, name: string, max: number): string {
  const element = child(parent, name);
  return element ? fieldText(textOf(element, max), max) : '';
}

function countOf(parent: Element, name: string): number | null {
  const text = fieldOf(parent, name, 20);
  return /^\d{1,9}$/.test(text) ? Number(text) : null;
}

/**
 * An element's text (its text nodes and CDATA sections, in order), at most `max` characters
 * from at most {@link MAX_FIELD_NODES} nodes: a field nested a million levels deep, or made
 * of a million pieces, costs no more than this to read.
 */
function textOf(element: Element, max: number): string {
  let text = '';
  let visited = 0;
  const stack: AnyNode[] = element.children.slice(0, MAX_FIELD_NODES).reverse();
  while (stack.length > 0 && text.length < max && visited++ < MAX_FIELD_NODES) {
    const node = stack.pop()!;
    if (isText(node)) text += node.data.slice(0, max - text.length);
    else if (hasChildren(node)) {
      for (let i = Math.min(node.children.length, MAX_FIELD_NODES) - 1; i >= 0; i--) {
        stack.push(node.children[i]!);
      }
    }
  }
  return text;
}
