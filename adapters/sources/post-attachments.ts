import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import {
  MAX_ATTACHMENT_NAME,
  MAX_ATTACHMENTS_KEPT,
  type Attachment,
} from '../../src/model/attachment.js';
import { httpLink, lastPathSegment } from './http-link.js';
import { fieldText, MAX_FIELD_INPUT } from './text.js';

/** Document files boards attach to press releases. */
const DOCUMENT = /\.(hwp|hwpx|pdf|docx?|xlsx?|pptx?|zip|odt)$/i;

/** What download links of Korean boards and CMSs look like (`fileDown.do`, `atchFileId=`…). */
const DOWNLOAD = /download|filedown|atchfile/i;

/** Where boards commonly list a post's files, apart from its body. */
const FILE_AREAS = [
  '.file',
  '.files',
  '.file-list',
  '.file_list',
  '.attach',
  '.attachment',
  '.attachments',
  '.view-file',
  '.view_file',
  '.bbs-file',
  '#bo_v_file',
].join(', ');

/** Most links looked at: a page of a million links costs no more than this. */
const MAX_LINKS_LOOKED_AT = 2_000;

/**
 * The files a board's post page offers: links in its body or its file area whose link or text
 * ends in a document's extension (HWP, HWPX, PDF, Office, ZIP, ODT), or that look like a
 * download (`download`, `fileDown`, `atchFile`). Named by their text, else by the link's file
 * name; absolute http(s) links only, each once, at most {@link MAX_ATTACHMENTS_KEPT}, names cut
 * to {@link MAX_ATTACHMENT_NAME}. The list of posts under the post is no file area: its links
 * are other posts.
 */
export function postAttachments(
  $: CheerioAPI,
  body: Element | null,
  pageUrl: string,
): Attachment[] {
  const areas = [...(body ? [body] : []), ...$(FILE_AREAS).toArray()];
  const attachments: Attachment[] = [];
  const seen = new Set<string>();
  let looked = 0;
  for (const area of areas) {
    for (const a of $(area).find('a[href]').toArray()) {
      if (++looked > MAX_LINKS_LOOKED_AT || attachments.length >= MAX_ATTACHMENTS_KEPT) {
        return attachments;
      }
      const href = $(a).attr('href') ?? '';
      const link = httpLink(href, pageUrl);
      if (!link.ok || seen.has(link.url.href)) continue;
      const text = fieldText($(a).text(), MAX_FIELD_INPUT);
      const file = lastPathSegment(link.url);
      const isFile =
        DOCUMENT.test(file) ||
        DOCUMENT.test(text) ||
        DOWNLOAD.test(link.url.pathname + link.url.search);
      if (!isFile) continue;
      const name = fieldText(text || file, MAX_ATTACHMENT_NAME);
      if (!name) continue;
      seen.add(link.url.href);
      attachments.push({ name, url: link.url.toString() });
    }
  }
  return attachments;
}
