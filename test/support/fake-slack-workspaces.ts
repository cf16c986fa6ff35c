import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The team of the helpers' slash commands when none is named (`slashCommand`). */
export const DEFAULT_TEAM = 'T1';

/**
 * Slack's workspaces as the fake knows them: which team each bot token belongs to, which
 * channels each team has, which tokens were revoked, and the app's OAuth installs.
 *
 * Nothing is implied: a bot token belongs to the one team it was registered for (`addTeam`,
 * or an OAuth install), an unknown token is refused like a mistyped one (`invalid_auth`), and
 * a channel exists only in the team it was added to (`addChannel`, or a slash command sent
 * from it), so a call naming another team's channel gets `channel_not_found`, as on Slack.
 */
export class SlackWorkspaces {
  /** Bot token → its team. */
  private readonly tokenTeams = new Map<string, string>();
  private readonly teamNames = new Map<string, string>();
  /** Team → its channels. */
  private readonly channels = new Map<string, Set<string>>();
  /** Tokens Slack no longer accepts (revoked, or the app reinstalled). */
  readonly revokedTokens = new Set<string>();
  /** The app's credentials `oauth.v2.access` checks. */
  oauthApp = { clientId: '1111.2222', clientSecret: 'client-secret' };
  /** One-time install codes → the team and token they install. */
  private readonly codes = new Map<string, { team: string; token: string; scopes: string }>();
  /** Successful `oauth.v2.access` exchanges. */
  oauthExchanges = 0;

  /** Registers a workspace and its bot token: calls with the token act in that workspace. */
  addTeam(teamId: string, botToken: string, name = teamId): void {
    const owner = this.tokenTeams.get(botToken);
    if (owner !== undefined && owner !== teamId) {
      throw new Error(`fake Slack: the token is ${owner}'s; a bot token belongs to one team`);
    }
    this.tokenTeams.set(botToken, teamId);
    this.teamNames.set(teamId, name);
  }

  /** Creates channels in a workspace; only that team's token may post or edit there. */
  addChannel(teamId: string, ...channelIds: string[]): void {
    let channels = this.channels.get(teamId);
    if (!channels) this.channels.set(teamId, (channels = new Set()));
    for (const id of channelIds) channels.add(id);
  }

  hasChannel(teamId: string, channelId: string): boolean {
    return this.channels.get(teamId)?.has(channelId) ?? false;
  }

  teamName(teamId: string): string {
    return this.teamNames.get(teamId) ?? teamId;
  }

  /** The team of a usable bot token in an `Authorization` header, or null. */
  teamOf(authorization: string | undefined): string | null {
    return this.tokenTeams.get(bearer(authorization) ?? '') ?? null;
  }

  /**
   * Slack's own answer to a call without a usable token, or null when the token is good:
   * app-level tokens (`xapp-`, not bound to a team) open Socket Mode, bot tokens do the rest.
   */
  refusal(authorization: string | undefined, method: string): string | null {
    const token = bearer(authorization);
    if (!token) return 'not_authed';
    if (this.revokedTokens.has(token)) return 'token_revoked';
    if (method === 'apps.connections.open')
      return token.startsWith('xapp-') ? null : 'invalid_auth';
    return this.tokenTeams.has(token) ? null : 'invalid_auth';
  }

  /** Revokes a bot token, as uninstalling or rotating it does: every later call is refused. */
  revoke(token: string): void {
    this.revokedTokens.add(token);
  }

  /** Revokes every token of a team, as uninstalling the app does. */
  uninstall(teamId: string): void {
    for (const [token, team] of this.tokenTeams) if (team === teamId) this.revoke(token);
  }

  /**
   * A one-time code for installing the app into `teamId`, as Slack hands the browser on the
   * redirect after the user approved; `oauth.v2.access` exchanges it for the bot token (fresh
   * and unique unless given), registered to the team here already.
   */
  issueCode(
    teamId: string,
    options: { botToken?: string; teamName?: string; scopes?: string } = {},
  ): string {
    const code = `code-${randomBytes(9).toString('hex')}`;
    const token = options.botToken ?? `xoxb-${teamId}-${randomBytes(8).toString('hex')}`;
    this.codes.set(code, {
      team: teamId,
      token,
      scopes: options.scopes ?? 'commands,chat:write,chat:write.public',
    });
    this.addTeam(teamId, token, options.teamName ?? this.teamName(teamId));
    return code;
  }

  /** `oauth.v2.access`: client credentials by Basic auth or form, and a one-time code. */
  exchangeCode(req: IncomingMessage, form: Record<string, string>): Record<string, unknown> {
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const credentials = basic ? Buffer.from(basic, 'base64').toString('utf8') : null;
    // The secret may hold a colon; the id never does.
    const [id, secret] = credentials
      ? [
          credentials.slice(0, credentials.indexOf(':')),
          credentials.slice(credentials.indexOf(':') + 1),
        ]
      : [form.client_id, form.client_secret];
    if (id !== this.oauthApp.clientId) return { ok: false, error: 'invalid_client_id' };
    if (secret !== this.oauthApp.clientSecret) return { ok: false, error: 'bad_client_secret' };
    const grant = this.codes.get(form.code ?? '');
    if (!grant) return { ok: false, error: 'invalid_code' };
    this.codes.delete(form.code!);
    // A fresh install: the token works even if an earlier uninstall revoked it.
    this.addTeam(grant.team, grant.token, this.teamName(grant.team));
    this.revokedTokens.delete(grant.token);
    this.oauthExchanges++;
    return {
      ok: true,
      app_id: 'A1',
      authed_user: { id: 'U-installer' },
      scope: grant.scopes,
      token_type: 'bot',
      access_token: grant.token,
      bot_user_id: 'UBOT',
      team: { id: grant.team, name: this.teamName(grant.team) },
      enterprise: null,
      is_enterprise_install: false,
    };
  }
}

function bearer(authorization: string | undefined): string | null {
  return /^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? null;
}
