import { z } from 'zod';
import { parseEncryptionKey } from '../util/token-cipher.js';
import { httpUrl } from './config-values.js';
import { platformSection } from './platform-section.js';
import { secret } from './secrets.js';

/** Slack's part of the configuration: its variables, which go together in which of the two modes. */

export const slackSection = platformSection({
  variables: {
    SLACK_BOT_TOKEN: secret(
      z.string().startsWith('xoxb-', 'must be a bot token (xoxb-…)').optional(),
      { kind: 'value', configKey: 'botToken' },
    ),
    SLACK_SIGNING_SECRET: secret(z.string().min(8).optional(), {
      kind: 'value',
      configKey: 'signingSecret',
    }),
    SLACK_APP_TOKEN: secret(
      z.string().startsWith('xapp-', 'must be an app-level token (xapp-…)').optional(),
      { kind: 'value', configKey: 'appToken' },
    ),
    SLACK_API_URL: httpUrl.default('https://slack.com/api/'),
    SLACK_CLIENT_ID: z
      .string()
      .regex(/^\d+\.\d+$/, "must be the app's client id (digits.digits)")
      .optional(),
    SLACK_CLIENT_SECRET: secret(z.string().min(8).optional(), {
      kind: 'value',
      configKey: 'clientSecret',
    }),
    SLACK_STATE_SECRET: secret(z.string().min(16, 'must be at least 16 characters').optional(), {
      kind: 'value',
      configKey: 'stateSecret',
    }),
    SLACK_REDIRECT_URI: httpUrl.optional(),
    SLACK_WORKSPACE_RATE_LIMIT: z.coerce.number().positive().default(10),
    SLACK_RATE_LIMIT: z.coerce.number().min(0).default(10),
  },
  check: (env, ctx) => checkSlackVariables(env as SlackVariables, ctx),
  read: (e): SlackConfig | null =>
    e.SLACK_BOT_TOKEN || e.SLACK_CLIENT_ID
      ? {
          botToken: e.SLACK_BOT_TOKEN,
          oauth: e.SLACK_CLIENT_ID
            ? {
                clientId: e.SLACK_CLIENT_ID,
                clientSecret: e.SLACK_CLIENT_SECRET!,
                stateSecret: e.SLACK_STATE_SECRET!,
                redirectUri: e.SLACK_REDIRECT_URI,
                encryptionKey: parseEncryptionKey(e['TOKEN_ENCRYPTION_KEY'] as string),
                workspaceRatePerSecond: e.SLACK_WORKSPACE_RATE_LIMIT,
              }
            : null,
          signingSecret: e.SLACK_SIGNING_SECRET,
          appToken: e.SLACK_APP_TOKEN,
          apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
          rateLimit: e.SLACK_RATE_LIMIT,
        }
      : null,
  // With many workspaces each is limited on its own (`SlackWorkspaceClients`): one limit for
  // all of them would let 500 workspaces share one workspace's budget.
  deliveryRate: (config) => (config.oauth ? null : config.rateLimit),
});

export interface SlackConfig {
  /** Single-workspace mode: the one bot token (`SLACK_BOT_TOKEN`). */
  botToken: string | undefined;
  /** OAuth mode: installs through "Add to Slack", one token per workspace. */
  oauth: SlackOAuthConfig | null;
  signingSecret: string | undefined;
  appToken: string | undefined;
  apiUrl: string;
  /**
   * Messages per second to Slack in single-workspace mode, across every worker (0: none of
   * the bot's own); in OAuth mode each workspace is limited on its own instead.
   */
  rateLimit: number;
}

export interface SlackOAuthConfig {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  redirectUri: string | undefined;
  /** AES-256 key of the installations' bot tokens at rest. */
  encryptionKey: Buffer;
  /** Messages per second to one workspace, across every worker. */
  workspaceRatePerSecond: number;
}

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

/**
 * Variables of OAuth mode, which single-workspace mode has no use for. Not
 * `TOKEN_ENCRYPTION_KEY`: webhook destinations are sealed with it in either mode.
 */
const OAUTH_ONLY = ['SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SLACK_REDIRECT_URI'] as const;

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
