import type { z } from 'zod';

/** Part of the configuration: which Slack variables go together, in which of the two modes. */

/** The Slack variables as the schema read them (empty strings already dropped). */
export interface SlackVariables {
  SLACK_BOT_TOKEN?: string | undefined;
  SLACK_SIGNING_SECRET?: string | undefined;
  SLACK_APP_TOKEN?: string | undefined;
  SLACK_CLIENT_ID?: string | undefined;
  SLACK_CLIENT_SECRET?: string | undefined;
  SLACK_STATE_SECRET?: string | undefined;
  SLACK_REDIRECT_URI?: string | undefined;
  TOKEN_ENCRYPTION_KEY?: string | undefined;
}

/**
 * One workspace (`SLACK_BOT_TOKEN` with a way to receive `/news`) or many (`SLACK_CLIENT_ID`
 * with its secrets and key), never both; each problem is added to `ctx`.
 */
export function checkSlackVariables(env: SlackVariables, ctx: z.RefinementCtx): void {
  const slackExtras = env.SLACK_SIGNING_SECRET ?? env.SLACK_APP_TOKEN;
  if (env.SLACK_CLIENT_ID) {
    checkSlackOAuth(env, ctx);
    return;
  }
  for (const name of OAUTH_ONLY) {
    if (env[name] !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: 'is only used with SLACK_CLIENT_ID (installs through OAuth)',
      });
    }
  }
  if (!env.SLACK_BOT_TOKEN && slackExtras) {
    ctx.addIssue({
      code: 'custom',
      path: ['SLACK_BOT_TOKEN'],
      message: 'is required when other SLACK_ variables are set',
    });
  }
  if (env.SLACK_BOT_TOKEN && !slackExtras) {
    ctx.addIssue({
      code: 'custom',
      path: ['SLACK_SIGNING_SECRET'],
      message:
        'or SLACK_APP_TOKEN (Socket Mode) is required with SLACK_BOT_TOKEN, to receive /news',
    });
  }
}

/** Variables of OAuth mode, which single-workspace mode has no use for. */
const OAUTH_ONLY = [
  'SLACK_CLIENT_SECRET',
  'SLACK_STATE_SECRET',
  'SLACK_REDIRECT_URI',
  'TOKEN_ENCRYPTION_KEY',
] as const;

/** OAuth mode needs its secrets and the key, a way to receive `/news`, and no single token. */
function checkSlackOAuth(env: SlackVariables, ctx: z.RefinementCtx): void {
  const required = {
    SLACK_CLIENT_SECRET: "the app's client secret",
    SLACK_STATE_SECRET: 'a random secret of 16+ characters that signs install states',
    TOKEN_ENCRYPTION_KEY: '32 random bytes (`openssl rand -hex 32`) that encrypt the tokens',
  } as const;
  for (const [name, what] of Object.entries(required)) {
    if (env[name as keyof typeof required] === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: `is required with SLACK_CLIENT_ID: ${what}`,
      });
    }
  }
  if (env.SLACK_BOT_TOKEN) {
    ctx.addIssue({
      code: 'custom',
      path: ['SLACK_BOT_TOKEN'],
      message:
        "cannot be used with SLACK_CLIENT_ID: remove it (OAuth mode keeps each workspace's own token) or remove SLACK_CLIENT_ID (one workspace)",
    });
  }
  if (!env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
    ctx.addIssue({
      code: 'custom',
      path: ['SLACK_SIGNING_SECRET'],
      message:
        'or SLACK_APP_TOKEN (Socket Mode) is required with SLACK_CLIENT_ID, to receive /news',
    });
  }
}
