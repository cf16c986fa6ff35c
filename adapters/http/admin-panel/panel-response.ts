import type { ServerResponse } from 'node:http';
import type { SafeHtml } from './html.js';
import { PANEL_CSS_SOURCE } from './panel-style.js';

/**
 * What every panel answer carries. The policy allows the one inlined stylesheet (by its hash)
 * and nothing else: no script, no plugin, no frame, no foreign form target, so text that
 * slipped past escaping still could not run. Nothing is cached (pages show a CSRF token and,
 * once, a webhook secret), no page may be framed to steer clicks, and no address of the panel
 * leaves in a Referer.
 */
export const PANEL_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': [
    "default-src 'none'",
    `style-src ${PANEL_CSS_SOURCE}`,
    "img-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; '),
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

/** Answers with a page. */
export function sendPage(
  res: ServerResponse,
  status: number,
  page: SafeHtml,
  headers: Record<string, string | string[]> = {},
): void {
  res.writeHead(status, {
    ...PANEL_HEADERS,
    ...headers,
    'content-type': 'text/html; charset=utf-8',
  });
  res.end(page.text);
}

/** Sends the browser on to `location` (303: a GET, whatever the request was). */
export function redirect(
  res: ServerResponse,
  location: string,
  headers: Record<string, string | string[]> = {},
): void {
  res.writeHead(303, { ...PANEL_HEADERS, ...headers, location });
  res.end();
}
