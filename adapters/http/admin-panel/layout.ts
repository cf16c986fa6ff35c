import { koreaDateTime } from '../../../src/model/post.js';
import { html, SafeHtml, type HtmlValue } from './html.js';
import { PANEL_CSS } from './panel-style.js';
import { CSRF_FIELD } from './request-guard.js';

/** The panel's pages, for the navigation's current mark. */
export type PanelSection = 'sources' | 'channels' | 'add';

/** Where each page lives. */
export const PANEL_PATHS = {
  home: '/admin',
  login: '/admin/login',
  logout: '/admin/logout',
  sources: '/admin/sources',
  channels: '/admin/channels',
  newDestination: '/admin/destinations/new',
  addDestination: '/admin/destinations/add',
  destination: '/admin/destinations/view',
  testDestination: '/admin/destinations/test',
  scheduleDestination: '/admin/destinations/schedule',
  confirmRemoval: '/admin/destinations/confirm-removal',
  removeDestination: '/admin/destinations/remove',
  queues: '/admin/queues',
} as const;

export interface PageOptions {
  title: string;
  /** Set once logged in: the navigation (with its logout form) is shown. */
  csrfToken?: string | undefined;
  current?: PanelSection | undefined;
}

/**
 * The stylesheet's element, built outside the templates: the CSP hash covers exactly the
 * element's text, which a reformatted template would pad with white space.
 */
const STYLE_ELEMENT = SafeHtml.trusted(`<style>${PANEL_CSS}</style>`);

/**
 * A whole page: the viewport for phones, the inlined stylesheet (the CSP allows it by hash),
 * and for a logged-in operator the navigation. No script anywhere.
 */
export function page(options: PageOptions, body: SafeHtml): SafeHtml {
  return html`<!doctype html>
    <html lang="ko">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>${options.title} · esg-news-bot 관리</title>
        ${STYLE_ELEMENT}
      </head>
      <body>
        <header>
          <h1>esg-news-bot 관리</h1>
          ${options.csrfToken !== undefined && navigation(options.csrfToken, options.current)}
        </header>
        <main>${body}</main>
      </body>
    </html> `;
}

function navigation(csrfToken: string, current: PanelSection | undefined): SafeHtml {
  const link = (section: PanelSection, href: string, label: string) =>
    html`<a href="${href}" ${current === section ? html` aria-current="page"` : ''}>${label}</a>`;
  return html`<nav aria-label="관리 메뉴">
    ${link('sources', PANEL_PATHS.sources, '소스')}
    ${link('channels', PANEL_PATHS.channels, '채널·목적지')}
    ${link('add', PANEL_PATHS.newDestination, '목적지 추가')}
    <a href="${PANEL_PATHS.queues}">큐 대시보드</a>
    <form method="post" action="${PANEL_PATHS.logout}">
      ${csrfInput(csrfToken)}<button type="submit">로그아웃</button>
    </form>
  </nav>`;
}

/** The hidden field every change carries. */
export function csrfInput(csrfToken: string): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${csrfToken}" />`;
}

/** A message box: `ok` (done), `bad` (refused, failed), `warn`. */
export function notice(kind: 'ok' | 'bad' | 'warn', ...content: HtmlValue[]): SafeHtml {
  return html`<div class="notice ${kind}" role="${kind === 'ok' ? 'status' : 'alert'}">
    ${content}
  </div>`;
}

export function badge(kind: 'ok' | 'bad' | 'warn' | 'muted', text: string): SafeHtml {
  return html`<span class="badge ${kind}">${text}</span>`;
}

/** An instant in Korea time, as chat shows it (`2026-12-01 09:30`). */
export function when(at: Date | null | undefined, none = '아직 없음'): string {
  return at ? koreaDateTime(at) : none;
}

/** A query string for a panel link, its values encoded. */
export function withQuery(path: string, fields: Record<string, string>): string {
  return `${path}?${new URLSearchParams(fields).toString()}`;
}
