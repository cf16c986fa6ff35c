import { secretsEqual } from '../auth.js';
import { clientAddress, clientLimitKey } from '../client-address.js';
import type { Route } from '../http-server.js';
import { PANEL_PATHS } from './layout.js';
import { loginPage } from './login-page.js';
import { changeRoute, guarded, refuse, sessionOf, type AdminPanelDeps } from './panel-context.js';
import { redirect, sendPage } from './panel-response.js';
import { comesFromPanel, formOf, reachedOverHttps, sessionCookie } from './request-guard.js';

/**
 * The way in and out: the login form at `/admin` (or, logged in, on to the sources), the
 * login itself, and logout.
 */
export function loginRoutes(deps: AdminPanelDeps): Route[] {
  return [
    {
      method: 'GET',
      path: PANEL_PATHS.home,
      handler: guarded(deps, async (req, res) => {
        if (await sessionOf(deps, req)) return redirect(res, PANEL_PATHS.sources);
        sendPage(res, 200, loginPage());
      }),
    },
    {
      method: 'POST',
      path: PANEL_PATHS.login,
      maxBodyBytes: 4 * 1024,
      handler: guarded(deps, async (req, res) => {
        // A foreign page could otherwise log the operator's browser into a session it chose.
        if (!comesFromPanel(req, deps.trustProxy)) {
          return refuse(res, 403, '다른 사이트에서 보낸 로그인은 받지 않습니다.');
        }
        const form = formOf(req);
        if (!form) return refuse(res, 415, '관리 페이지의 로그인 양식으로만 로그인할 수 있습니다.');
        const client = clientLimitKey(clientAddress(req, deps.trustProxy));
        // Taken before the token is compared: a refused client learns nothing of its guess.
        const attempt = await deps.loginLimiter.begin(client);
        if (attempt.kind === 'refused') {
          const retryAfter = String(Math.ceil(attempt.retryAfterMs / 1000));
          return sendPage(
            res,
            429,
            loginPage({ kind: 'too-many', retryAfterMs: attempt.retryAfterMs }),
            {
              'retry-after': retryAfter,
            },
          );
        }
        if (!secretsEqual(form.get('token') ?? '', deps.token)) {
          return sendPage(res, 401, loginPage({ kind: 'wrong-token' }));
        }
        await deps.loginLimiter.succeeded(client, attempt.attemptId);
        const { id, session } = await deps.sessions.start();
        const maxAge = (session.expiresAt.getTime() - deps.now().getTime()) / 1000;
        redirect(res, PANEL_PATHS.sources, {
          'set-cookie': sessionCookie(id, reachedOverHttps(req, deps.trustProxy), maxAge),
        });
      }),
    },
    changeRoute(deps, PANEL_PATHS.logout, async ({ req, res, sessionId }) => {
      await deps.sessions.end(sessionId);
      sendPage(res, 200, loginPage({ kind: 'logged-out' }), {
        'set-cookie': sessionCookie('', reachedOverHttps(req, deps.trustProxy), 0),
      });
    }),
  ];
}
