import type { ServerResponse } from 'node:http';
import type { DestinationService } from '../../../src/destinations/destination-service.js';
import type { PollRhythms } from '../../../src/config/config-polling.js';
import type { BufferedRequest, Route } from '../http-server.js';
import { html } from './html.js';
import { notice, page, PANEL_PATHS } from './layout.js';
import type { RedisLoginLimiter } from './login-limiter.js';
import { loginPage } from './login-page.js';
import type { PanelReaders } from './panel-data.js';
import { redirect, sendPage } from './panel-response.js';
import {
  carriesCsrfToken,
  comesFromPanel,
  cookieOf,
  formOf,
  SESSION_COOKIE,
} from './request-guard.js';
import type { AdminSession, RedisAdminSessions } from './session-store.js';

/** What the control panel is given by the composition root. */
export interface AdminPanelDeps {
  /** `ADMIN_TOKEN`: what the login form asks for. */
  token: string;
  /** `TRUST_PROXY`: the client's address, scheme and host as the operator's proxy says. */
  trustProxy: boolean;
  sessions: Pick<RedisAdminSessions, 'start' | 'find' | 'end'>;
  loginLimiter: Pick<RedisLoginLimiter, 'begin' | 'succeeded'>;
  readers: PanelReaders;
  destinations: Pick<
    DestinationService,
    'channelOf' | 'add' | 'list' | 'get' | 'remove' | 'test' | 'schedule'
  >;
  /** How often each source is read, for the sources page. */
  pollRhythms: PollRhythms;
  now: () => Date;
  /** Errors the panel answered with its own error page; the root logs them. */
  onError: (error: unknown) => void;
  /** The most chat channels one channels page reads (default 300). */
  channelLimit?: number | undefined;
}

/** A logged-in operator's request. */
export interface PanelRequest {
  req: BufferedRequest;
  res: ServerResponse;
  sessionId: string;
  session: AdminSession;
}

/** A logged-in operator's change, with its form already checked. */
export interface PanelChange extends PanelRequest {
  form: URLSearchParams;
}

/** The session the request's cookie names, if it is live. */
export async function sessionOf(
  deps: AdminPanelDeps,
  req: BufferedRequest,
): Promise<{ id: string; session: AdminSession } | null> {
  const id = cookieOf(req, SESSION_COOKIE);
  if (id === null) return null;
  const session = await deps.sessions.find(id);
  return session ? { id, session } : null;
}

/** A page for a logged-in operator; anyone else is sent to the login form. */
export function viewRoute(
  deps: AdminPanelDeps,
  path: string,
  handler: (request: PanelRequest) => Promise<void>,
): Route {
  return {
    method: 'GET',
    path,
    handler: guarded(deps, async (req, res) => {
      const found = await sessionOf(deps, req);
      if (!found) return redirect(res, PANEL_PATHS.home);
      await handler({ req, res, sessionId: found.id, session: found.session });
    }),
  };
}

/**
 * A change a logged-in operator makes with one of the panel's forms. Refused, before
 * anything is read or changed: a request another site started (403), one without a live
 * session (the login form again), a body that is no form post (415), and one without the
 * session's CSRF token (403).
 */
export function changeRoute(
  deps: AdminPanelDeps,
  path: string,
  handler: (change: PanelChange) => Promise<void>,
): Route {
  return {
    method: 'POST',
    path,
    // The largest form (a destination: URL, keywords, secret) is well under this.
    maxBodyBytes: 16 * 1024,
    handler: guarded(deps, async (req, res) => {
      if (!comesFromPanel(req, deps.trustProxy)) return refuse(res, 403, CROSS_SITE);
      const found = await sessionOf(deps, req);
      if (!found) return sendPage(res, 401, loginPage({ kind: 'session-ended' }));
      const form = formOf(req);
      if (!form) return refuse(res, 415, NOT_A_FORM);
      if (!carriesCsrfToken(form, found.session.csrfToken)) return refuse(res, 403, STALE_FORM);
      await handler({ req, res, sessionId: found.id, session: found.session, form });
    }),
  };
}

const CROSS_SITE = '다른 사이트에서 보낸 요청은 받지 않습니다. 관리 페이지에서 직접 해 주세요.';
const NOT_A_FORM = '관리 페이지의 양식으로만 보낼 수 있습니다.';
const STALE_FORM =
  '요청을 확인하지 못했습니다. 페이지가 오래되었을 수 있으니 새로 고친 뒤 다시 시도해 주세요.';

/** A refusal page, without navigation: the request may not be the operator's. */
export function refuse(res: ServerResponse, status: number, text: string): void {
  sendPage(
    res,
    status,
    page(
      { title: '요청 거부' },
      html`<h2>요청을 처리하지 않았습니다</h2>
        ${notice('bad', text)}
        <p><a class="button secondary" href="${PANEL_PATHS.home}">관리 페이지로</a></p>`,
    ),
  );
}

/**
 * Runs a handler; anything it did not answer itself (Redis gone, a bug) is logged by the root
 * and answered with a plain Korean page, never a stack.
 */
export function guarded(
  deps: AdminPanelDeps,
  handler: (req: BufferedRequest, res: ServerResponse) => Promise<void>,
): Route['handler'] {
  return async (req, res) => {
    try {
      await handler(req, res);
    } catch (error) {
      deps.onError(error);
      if (res.headersSent) return void res.end();
      refuse(
        res,
        500,
        '처리하지 못했습니다. 잠시 뒤에 다시 시도해 주세요. 계속되면 봇의 로그를 확인해 주세요.',
      );
    }
  };
}
