import { isAscii, isUtf8 } from 'node:buffer';
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

/**
 * Decodes bytes, trusting the declared charset only as far as the bytes agree: a page whose
 * header says UTF-8 but whose bytes are EUC-KR (a common misconfiguration) is read as EUC-KR
 * instead of turning every Korean title into replacement characters. Tries the header, the
 * document's own declaration, UTF-8 and EUC-KR, in that order, and takes the first that
 * decodes without error; when none does, the first known one with replacements.
 *
 * A single-byte label (`us-ascii`, `iso-8859-1`, `windows-1252` and their aliases) never fails
 * to decode, so the bytes cannot disagree with it that way: it is passed over when the bytes
 * hold non-ASCII and are valid UTF-8. korea.kr feeds have been served as `us-ascii` carrying
 * UTF-8, and Korean text cannot be written in those charsets at all.
 */
export function decodeDocument(
  contentType: string | null,
  bytes: Uint8Array,
): { text: string; charset: string } {
  const candidates = [
    ...new Set([
      detectCharset(contentType, bytes),
      declaredCharset(bytes) ?? 'utf-8',
      'utf-8',
      'euc-kr',
    ]),
  ];
  const known: TextDecoder[] = [];
  for (const label of candidates) {
    let strict: TextDecoder;
    try {
      strict = new TextDecoder(label, { fatal: true });
    } catch {
      continue; // an unknown label
    }
    known.push(new TextDecoder(label));
    if (strict.encoding === 'windows-1252' && utf8Text(bytes)) continue;
    try {
      return { text: strict.decode(bytes), charset: strict.encoding };
    } catch {
      // not this charset
    }
  }
  const fallback = known[0] ?? new TextDecoder('utf-8');
  return { text: fallback.decode(bytes), charset: fallback.encoding };
}

function declaredCharset(bytes: Uint8Array): string | null {
  const declared = detectCharset(null, bytes);
  return declared === 'utf-8' ? null : declared;
}

/**
 * Whether the bytes are UTF-8 holding something besides ASCII. WHATWG decodes every
 * `us-ascii` / `latin1` / `cp1252` label as windows-1252, which is why one check covers them.
 */
function utf8Text(bytes: Uint8Array): boolean {
  return !isAscii(bytes) && isUtf8(bytes);
}
