/** An absolute http(s) URL, or why a link cannot be one. */
export type HttpLink = { ok: true; url: URL } | { ok: false; reason: string };

/** Longest part of a bad link quoted in a report: `data:` links can be kilobytes long. */
const QUOTED_LENGTH = 60;

/**
 * Longest link accepted, before and after the URL parser writes it out: chat shows none
 * longer than 2,000 characters as a link anyway, and a source must not make the bot keep
 * megabytes of "link" per post.
 */
export const MAX_LINK_LENGTH = 4_096;

/**
 * Resolves `href` (against `base`, when given) and accepts it only as an http(s) URL with a
 * host. Posts are opened by readers from chat, so `javascript:`, `data:`, `mailto:` and other
 * schemes must never become a post's link. The scheme is read by the URL parser, which
 * lower-cases it, so `JavaScript:` and `HTTPS:` are judged like their lower-case forms.
 * Longer than {@link MAX_LINK_LENGTH}, it is no link either.
 */
export function httpLink(href: string, base?: string): HttpLink {
  const tooLong = (): HttpLink => ({
    ok: false,
    reason: `link ${quote(href)} is longer than ${MAX_LINK_LENGTH} characters`,
  });
  if (href.length > MAX_LINK_LENGTH) return tooLong();
  let url: URL;
  try {
    url = new URL(href.trim(), base);
  } catch {
    return { ok: false, reason: `link ${quote(href)} is not a valid URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, reason: `link ${quote(href)} is not an http(s) URL` };
  }
  // The parser already refuses http(s) without a host; kept so the rule does not rest on that.
  if (!url.hostname) return { ok: false, reason: `link ${quote(href)} has no host` };
  if (url.href.length > MAX_LINK_LENGTH) return tooLong();
  return { ok: true, url };
}

function quote(text: string): string {
  const short = text.length > QUOTED_LENGTH ? `${text.slice(0, QUOTED_LENGTH)}…` : text;
  return JSON.stringify(short);
}

/** The last path segment of a link, decoded (`%EB%B6%99%EC%9E%84.hwp` → `붙임.hwp`): a file's name. */
export function lastPathSegment(url: URL): string {
  const segment = url.pathname.split('/').pop() ?? '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
