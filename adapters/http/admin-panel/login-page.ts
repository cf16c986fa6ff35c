import { field } from './form-field.js';
import { html, type SafeHtml } from './html.js';
import { notice, page, PANEL_PATHS } from './layout.js';

/** Why the login form is shown again. */
export type LoginProblem =
  | { kind: 'wrong-token' }
  | { kind: 'too-many'; retryAfterMs: number }
  | { kind: 'session-ended' }
  | { kind: 'logged-out' };

/**
 * The login form: the admin token (`ADMIN_TOKEN`) in a password field. Nothing typed is
 * shown again, not even after a wrong token.
 */
export function loginPage(problem?: LoginProblem): SafeHtml {
  return page(
    { title: '로그인' },
    html`<h2>로그인</h2>
      ${problem && problemNotice(problem)}
      <form class="stack card" method="post" action="${PANEL_PATHS.login}">
        ${field(
          'token',
          '관리 토큰',
          '서버에 설정한 ADMIN_TOKEN 값입니다.',
          html`<input
            id="token"
            type="password"
            name="token"
            autocomplete="current-password"
            required
            autofocus
            aria-describedby="token-hint"
          />`,
        )}
        <div class="actions"><button type="submit">로그인</button></div>
      </form>
      <p class="muted">
        로그인은 12시간 동안 유지됩니다. 공용 기기에서는 다 쓰고 로그아웃해 주세요.
      </p>`,
  );
}

function problemNotice(problem: LoginProblem): SafeHtml {
  switch (problem.kind) {
    case 'wrong-token':
      return notice('bad', '토큰이 맞지 않습니다. 다시 입력해 주세요.');
    case 'too-many': {
      const minutes = Math.max(1, Math.ceil(problem.retryAfterMs / 60_000));
      return notice('bad', `로그인 시도가 너무 많습니다. ${minutes}분 뒤에 다시 시도해 주세요.`);
    }
    case 'session-ended':
      return notice('warn', '로그인이 끝났습니다. 다시 로그인해 주세요.');
    case 'logged-out':
      return notice('ok', '로그아웃했습니다.');
  }
}
