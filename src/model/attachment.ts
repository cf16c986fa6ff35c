/**
 * A file a press release comes with (HWP, HWPX, PDF…): its name as the source gives it and a
 * link to download it. Readers keep at most {@link MAX_ATTACHMENTS_KEPT}, each name cut to
 * {@link MAX_ATTACHMENT_NAME}: a hostile source cannot fill the archive with them.
 */
export interface Attachment {
  name: string;
  /** Absolute http(s) link; renderers still vet it (`httpUrl`) before making it a link. */
  url: string;
}

/** Most attachments kept per post: real releases carry one to five. */
export const MAX_ATTACHMENTS_KEPT = 20;

/** Longest attachment name kept, in UTF-16 units. */
export const MAX_ATTACHMENT_NAME = 200;

/** Most attachments an alert or a lookup lists; the rest are counted (`외 2건`). */
export const MAX_ATTACHMENTS_SHOWN = 3;

/**
 * The file type an attachment's name or link ends in, upper-cased (`HWPX`, `PDF`), or `null`
 * when neither ends in a short extension. Plain string work: names come from the source.
 */
export function attachmentType(attachment: Attachment): string | null {
  for (const text of [attachment.name, pathOf(attachment.url)]) {
    const dot = text.lastIndexOf('.');
    if (dot < 0) continue;
    const extension = text.slice(dot + 1).trim();
    if (/^[A-Za-z0-9]{2,5}$/.test(extension)) return extension.toUpperCase();
  }
  return null;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}
