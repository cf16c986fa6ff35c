import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SLACK_BOT_SCOPES } from '../../../adapters/slack/slack-oauth.js';

const manifest = parse(
  readFileSync(new URL('../../../adapters/slack/slack-app-manifest.yml', import.meta.url), 'utf8'),
) as {
  oauth_config: { redirect_urls: string[]; scopes: { bot: string[] } };
  settings: { event_subscriptions: { request_url: string; bot_events: string[] } };
  features: { slash_commands: Array<{ command: string; url: string }> };
};

describe('the Slack app manifest', () => {
  it('asks for the scopes an OAuth install asks for', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...SLACK_BOT_SCOPES].sort());
  });

  it('sends installs back to the bot and tells it when a workspace removes the app', () => {
    expect(manifest.oauth_config.redirect_urls).toEqual([
      'https://YOUR-BOT-HOST/slack/oauth_redirect',
    ]);
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual([
      'app_uninstalled',
      'tokens_revoked',
    ]);
    // Commands and events share the one endpoint Bolt serves.
    expect(manifest.settings.event_subscriptions.request_url).toBe(
      manifest.features.slash_commands[0]!.url,
    );
  });
});
