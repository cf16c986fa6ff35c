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
import type { Logger } from '../../src/util/logger.js';
import { clientAddress, clientLimitKey } from '../http/client-address.js';
import type { Route } from '../http/http-server.js';
import { slackLogger } from './slack-logger.js';

/**
 * The bot scopes an install asks for: the same as `slack-app-manifest.yml` (a test holds them
 * equal). `commands` for `/news`, `chat:write` to post and edit alerts, `chat:write.public`
 * to post in public channels without an invitation.
 */
export const SLACK_BOT_SCOPES = ['commands', 'chat:write', 'chat:write.public'] as const;

/** Whether an install may start (see `RedisOAuthStateStore`); when not, why and how long. */
export type InstallStart =
  | { kind: 'started' }
  /** This client started too many installs within the window. */
  | { kind: 'too-many'; retryAfterSeconds: number }
  /** Too many installs are pending in all. */
  | { kind: 'full'; retryAfterSeconds: number };

/** The state store's gate: stores a state for this install only within the limits. */
export interface InstallGate {
  /**
   * `installOptions` is the object given to `handleInstallPath`, by which the store's
   * `generateStateParam` then hands out the state it stored.
   */
  startInstall(installOptions: InstallURLOptions, client: string): Promise<InstallStart>;
}

export interface SlackOAuthOptions {
  clientId: string;
  clientSecret: string;
  stateStore: StateStore & InstallGate;
  installationStore: InstallationStore;
  /** Where Slack sends the browser back; Slack's app settings list it. Optional there. */
  redirectUri?: string | undefined;
  /** The Web API (a local fake in tests). */
  apiUrl: string;
  /** Count clients by the right-most `X-Forwarded-For` entry (`TRUST_PROXY`), not the socket. */
  trustProxy: boolean;
  logger: Logger;
}

/** At most one warning a minute, per process, that installs are refused for being too many. */
const FULL_WARNING_INTERVAL_MS = 60_000;

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
  let lastFullWarning = 0;
  return [
    {
      method: 'GET',
      path: '/slack/install',
      handler: async (req, res) => {
        // One options object per visit: the state store hands this visit's state over by it.
        const visit: InstallURLOptions = { ...installUrlOptions };
        const beforeRedirection = async () => {
          const client = clientLimitKey(clientAddress(req, options.trustProxy));
          const started = await options.stateStore.startInstall(visit, client);
          if (started.kind === 'started') return true;
          if (started.kind === 'full' && Date.now() - lastFullWarning > FULL_WARNING_INTERVAL_MS) {
            lastFullWarning = Date.now();
            logger.warn('slack installs refused: too many are pending');
          } else {
            logger.debug({ client, refused: started.kind }, 'slack install refused');
          }
          refuse(res, started);
          return false;
        };
        await installer.handleInstallPath(req, res, { beforeRedirection }, visit);
      },
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

/**
 * An install that may not start now: 429 for a client over its own limit, 503 when too many
 * are pending in all, with `Retry-After` (seconds) and a Korean page saying when to try again.
 */
function refuse(res: ServerResponse, refusal: Exclude<InstallStart, { kind: 'started' }>): void {
  const minutes = Math.max(1, Math.ceil(refusal.retryAfterSeconds / 60));
  res.setHeader('retry-after', String(refusal.retryAfterSeconds));
  res.setHeader('cache-control', 'no-store');
  if (refusal.kind === 'too-many') page(res, 429, TOO_MANY_PAGE(minutes));
  else page(res, 503, BUSY_PAGE(minutes));
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

const TOO_MANY_PAGE = (minutes: number) => `<!doctype html>
<html lang="ko"><meta charset="utf-8"><title>ESG 정책뉴스 설치 요청이 너무 많습니다</title>
<h1>설치 요청이 너무 많습니다</h1>
<p>이 주소에서 설치를 너무 여러 번 시작했습니다. ${minutes}분 뒤에 다시 시도해 주세요.</p>
</html>`;

const BUSY_PAGE = (minutes: number) => `<!doctype html>
<html lang="ko"><meta charset="utf-8"><title>ESG 정책뉴스 설치 대기</title>
<h1>잠시 후 다시 시도해 주세요</h1>
<p>지금은 진행 중인 설치가 너무 많습니다. ${minutes}분 뒤에 다시 시도해 주세요.</p>
</html>`;

const FAILED_PAGE = `<!doctype html>
<html lang="ko"><meta charset="utf-8"><title>ESG 정책뉴스 설치 실패</title>
<h1>설치하지 못했습니다</h1>
<p>설치 링크가 만료되었거나 이미 사용되었거나, Slack과 연결하지 못했습니다.
<a href="/slack/install">처음부터 다시 설치</a>해 주세요.</p>
</html>`;
