import { TextDecoder } from 'node:util';

/**
 * Picks a document's character set the way browsers and feed readers do: the HTTP header
 * first, then what the document says of itself in its first bytes (`<?xml encoding>`,
 * `<meta charset>`, `<meta http-equiv content-type>`), else UTF-8. Korean sites often
 * declare EUC-KR only inside the document.
 */
export function detectCharset(contentType: string | null, bytes: Uint8Array): string {
  const fromHeader = contentType ? /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType)?.[1] : null;
  if (fromHeader) return fromHeader.toLowerCase();

  // Declarations are ASCII, so reading the head as Latin-1 finds them whatever the encoding.
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
  const declared =
    /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1] ??
    /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1];
  return declared ? declared.toLowerCase() : 'utf-8';
}

/** Decodes bytes in the detected charset; an unknown label falls back to UTF-8 rather than failing. */
export function decodeDocument(
  contentType: string | null,
  bytes: Uint8Array,
): { text: string; charset: string } {
  const charset = detectCharset(contentType, bytes);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    return { text: new TextDecoder('utf-8').decode(bytes), charset: 'utf-8' };
  }
  return { text: decoder.decode(bytes), charset: decoder.encoding };
}
