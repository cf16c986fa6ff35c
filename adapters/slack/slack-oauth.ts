import type { ServerResponse } from 'node:http';
import {
  ErrorCode,
  InstallProvider,
  type CodedError,
  type Installation,
  type InstallationStore,
  type InstallURLOptions,
  type OrgInstallation,
  type StateStore,
} from '@slack/oauth';
import type { Logger } from '../../src/logger.js';
import type { Route } from '../http/http-server.js';
import { slackLogger } from './slack-logger.js';

/**
 * The bot scopes an install asks for: the same as `slack-app-manifest.yml` (a test holds them
 * equal). `commands` for `/news`, `chat:write` to post and edit alerts, `chat:write.public`
 * to post in public channels without an invitation.
 */
export const SLACK_BOT_SCOPES = ['commands', 'chat:write', 'chat:write.public'] as const;

export interface SlackOAuthOptions {
  clientId: string;
  clientSecret: string;
  stateStore: StateStore;
  installationStore: InstallationStore;
  /** Where Slack sends the browser back; Slack's app settings list it. Optional there. */
  redirectUri?: string | undefined;
  /** The Web API (a local fake in tests). */
  apiUrl: string;
  logger: Logger;
}

/**
 * "Add to Slack" on the bot's own server, with Bolt's `InstallProvider` (`@slack/oauth`):
 * `GET /slack/install` shows the button and sets the state cookie; `GET /slack/oauth_redirect`
 * checks the state (this browser's cookie, and the one-time state store), exchanges the code
 * with `oauth.v2.access` and stores the installation. Served the same way in HTTP and Socket
 * Mode, so a Socket Mode deployment needs no second server for installs.
 */
export function slackOAuthRoutes(options: SlackOAuthOptions): Route[] {
  const { logger } = options;
  const installUrlOptions: InstallURLOptions = {
    scopes: [...SLACK_BOT_SCOPES],
    ...(options.redirectUri ? { redirectUri: options.redirectUri } : {}),
  };
  const installer = new InstallProvider({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    stateStore: options.stateStore,
    installationStore: options.installationStore,
    installUrlOptions,
    renderHtmlForInstallPath: INSTALL_PAGE,
    clientOptions: { slackApiUrl: options.apiUrl },
    logger: slackLogger(logger),
  });
  return [
    {
      method: 'GET',
      path: '/slack/install',
      handler: (req, res) => installer.handleInstallPath(req, res, undefined, installUrlOptions),
    },
    {
      method: 'GET',
      path: '/slack/oauth_redirect',
      handler: (req, res) =>
        installer.handleCallback(req, res, {
          success: (installation) => {
            logger.info(
              { team: installation.team?.id, teamName: installation.team?.name },
              'slack workspace installed the app',
            );
            page(res, 200, INSTALLED_PAGE(installation));
          },
          failure: (error) => {
            logger.warn({ code: error.code, reason: error.message }, 'slack install refused');
            page(res, failureStatus(error), FAILED_PAGE);
          },
        }),
    },
  ];
}

/** A refused state is the browser's fault (400); a failed exchange with Slack is not (502). */
function failureStatus(error: CodedError): number {
  return BROWSER_ERRORS.has(error.code) ? 400 : 502;
}

const BROWSER_ERRORS = new Set<string>([
  ErrorCode.InvalidStateError,
  ErrorCode.MissingStateError,
  ErrorCode.MissingCodeError,
  ErrorCode.AuthorizationError,
]);

function page(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(body);
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** Slack's own "Add to Slack" button, on a page that says what the app does. */
const INSTALL_PAGE = (url: string) => `<!doctype html>
<html lang="ko"><meta charset="utf-8"><title>ESG 정책뉴스 봇 설치</title>
<h1>ESG 정책뉴스 봇</h1>
<p>정부 부처의 ESG 정책뉴스 새 글을 Slack 채널로 알려 드립니다.</p>
<p><a href="${escapeHtml(url)}"><img alt="Add to Slack" height="40" width="139"
 src="https://platform.slack-edge.com/img/add_to_slack.png"></a></p>
</html>`;

const INSTALLED_PAGE = (installation: Installation | OrgInstallation) => `<!doctype html>
<html lang="ko"><meta charset="utf-8"><title>ESG 정책뉴스 설치 완료</title>
<h1>설치되었습니다</h1>
<p>${escapeHtml(installation.team?.name ?? '워크스페이스')}에 ESG 정책뉴스 봇이 설치되었습니다.
알림을 받을 채널에서 <code>/news 구독</code>을 입력하세요.</p>
</html>`;

const FAILED_PAGE = `<!doctype html>
<html lang="ko"><meta charset="utf-8"><title>ESG 정책뉴스 설치 실패</title>
<h1>설치하지 못했습니다</h1>
<p>설치 링크가 만료되었거나 이미 사용되었거나, Slack과 연결하지 못했습니다.
<a href="/slack/install">처음부터 다시 설치</a>해 주세요.</p>
</html>`;
