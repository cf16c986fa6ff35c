import { createHmac, randomBytes } from 'node:crypto';
import { DEFAULT_TEAM } from './fake-slack-workspaces.js';

/** What the request helpers need of the fake Slack a command comes from. */
export interface SlackCommandOrigin {
  /** A command is typed in a channel that exists: the helpers create it in its team. */
  addChannel(teamId: string, ...channelIds: string[]): void;
  /** A fresh response URL for one command, recorded under `label`; its 30 minutes start now. */
  commandResponseUrl(label: string): string;
  /** Throws when Slack would refuse the bot's acknowledgement (see `SlackResponses`). */
  checkAcknowledgement(body: unknown): void;
}

/** A body signed as Slack signs requests to the bot: `v0=HMAC_SHA256(secret, v0:ts:body)`. */
function signed(
  secret: string,
  body: string,
  contentType: string,
  timestamp: number,
): { body: string; headers: Record<string, string> } {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    body,
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
    },
  };
}

/** A slash command as Slack posts it: form-encoded and signed with the app's signing secret. */
export function signedCommandRequest(
  secret: string,
  fields: Record<string, string>,
  timestamp = Math.floor(Date.now() / 1000),
): { body: string; headers: Record<string, string> } {
  const body = new URLSearchParams(fields).toString();
  return signed(secret, body, 'application/x-www-form-urlencoded', timestamp);
}

/** A JSON body signed as Slack signs requests to the bot. */
export function signedEventRequest(
  secret: string,
  envelope: Record<string, unknown>,
  timestamp = Math.floor(Date.now() / 1000),
): { body: string; headers: Record<string, string> } {
  return signed(secret, JSON.stringify(envelope), 'application/json', timestamp);
}

/**
 * Sends `/news <text>` from `channel` (team T1, user U1) to the bot's HTTP endpoint, signed
 * with `secret`, as Slack does; resolves with the acknowledgement's body.
 */
export function slashCommand(
  botUrl: string,
  slack: SlackCommandOrigin,
  channel: string,
  text: string,
  secret = 'signing-secret',
): Promise<{ text: string; response_type: string }> {
  return slashCommandFrom(botUrl, slack, DEFAULT_TEAM, channel, text, secret);
}

/**
 * `slashCommand` from a channel of another workspace. Each command gets its own response URL
 * (Slack's take five posts in 30 minutes); what the bot posts there is recorded under
 * `<team>-<channel>` (T1's just `<channel>`), so that two teams' channels never share one.
 * The acknowledgement must be one Slack would show.
 */
export async function slashCommandFrom(
  botUrl: string,
  slack: SlackCommandOrigin,
  team: string,
  channel: string,
  text: string,
  secret = 'signing-secret',
): Promise<{ text: string; response_type: string }> {
  slack.addChannel(team, channel);
  const request = signedCommandRequest(secret, {
    team_id: team,
    channel_id: channel,
    user_id: 'U1',
    command: '/news',
    text,
    response_url: slack.commandResponseUrl(team === DEFAULT_TEAM ? channel : `${team}-${channel}`),
  });
  const response = await fetch(`${botUrl}/slack/events`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  const ack = (await response.json()) as { text: string; response_type: string };
  slack.checkAcknowledgement(ack);
  return ack;
}

/** Slack's `event_callback` envelope of an Events API event in one workspace. */
export function eventEnvelope(
  teamId: string,
  event: Record<string, unknown>,
): Record<string, unknown> {
  return {
    token: 'legacy',
    team_id: teamId,
    api_app_id: 'A1',
    event: { ...event, event_ts: `${Date.now() / 1000}` },
    type: 'event_callback',
    event_id: `Ev${randomBytes(6).toString('hex').toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        team_id: teamId,
        user_id: 'UBOT',
        is_bot: true,
        enterprise_id: null,
        is_enterprise_install: false,
      },
    ],
  };
}

export const appUninstalledEvent = () => ({ type: 'app_uninstalled' });

/** Slack's `tokens_revoked`: the bot users (and users) whose tokens were revoked. */
export const tokensRevokedEvent = (botUserIds: string[]) => ({
  type: 'tokens_revoked',
  tokens: { bot: botUserIds },
});

/** Posts an Events API event of `teamId` to the bot's `/slack/events`, as Slack does. */
export async function sendEvent(
  botUrl: string,
  secret: string,
  teamId: string,
  event: Record<string, unknown>,
): Promise<Response> {
  const request = signedEventRequest(secret, eventEnvelope(teamId, event));
  return fetch(`${botUrl}/slack/events`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
}
