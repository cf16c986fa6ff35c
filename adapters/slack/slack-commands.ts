import { App, HTTPReceiver, SocketModeReceiver, type SlashCommand } from '@slack/bolt';
import type { CommandContext, CommandService } from '../../src/commands/command-service.js';
import type { Logger } from '../../src/util/logger.js';
import type { Route } from '../http/http-server.js';
import { renderReply } from './slack-format.js';
import { slackLogger } from './slack-logger.js';

/** The answer in a workspace that has not installed the app (OAuth mode). */
const NOT_INSTALLED =
  '이 워크스페이스에는 ESG 정책뉴스 봇이 설치되어 있지 않습니다. 관리자에게 봇 설치(Add to Slack)를 요청해 주세요.';

/** Why a workspace is gone for the bot: the app was removed, or its bot token revoked. */
export type WorkspaceRemoval = 'app_uninstalled' | 'tokens_revoked';

export interface SlackCommandsOptions {
  /** Single-workspace mode: the one bot token. */
  botToken?: string | undefined;
  /** OAuth mode: each workspace's bot token, from its installation (`null`: not installed). */
  tokenFor?: ((teamId: string) => Promise<string | null>) | undefined;
  /** Told when Slack says the app was removed from a workspace, or its bot token revoked. */
  onWorkspaceRemoved: (teamId: string, reason: WorkspaceRemoval) => Promise<void>;
  /** HTTP mode: requests to `POST /slack/events` are verified with it. */
  signingSecret?: string | undefined;
  /** Socket Mode when set: no public URL needed. */
  appToken?: string | undefined;
  apiUrl: string;
  commands: CommandService;
  logger: Logger;
}

/**
 * Answers `/news` in Slack with Bolt, over HTTP (mounted on the bot's server) or Socket
 * Mode, and hears when a workspace removes the app. Acknowledges within Slack's 3 seconds: with the answer when Redis has it, else with
 * a notice, answering through `respond` once the board was read.
 */
export class SlackCommands {
  readonly routes: Route[] = [];
  private readonly app: App;
  private readonly socketMode: boolean;

  constructor(options: SlackCommandsOptions) {
    const logger = slackLogger(options.logger);
    const clientOptions = { slackApiUrl: options.apiUrl };
    this.socketMode = Boolean(options.appToken);
    let receiver: SocketModeReceiver | HTTPReceiver;
    if (options.appToken) {
      receiver = new SocketModeReceiver({
        appToken: options.appToken,
        logger,
        installerOptions: { clientOptions },
      });
    } else {
      if (!options.signingSecret) {
        throw new Error('SLACK_SIGNING_SECRET is required without SLACK_APP_TOKEN');
      }
      receiver = new HTTPReceiver({
        signingSecret: options.signingSecret,
        endpoints: '/slack/events',
        logger,
      });
      this.routes.push({
        method: 'POST',
        path: '/slack/events',
        // Slash commands are small; events with blocks can be larger. Bolt reads the body the
        // server buffered (`rawBody`), so this limit is the only one that applies.
        maxBodyBytes: 1024 * 1024,
        handler: receiver.requestListener,
      });
    }
    const tokenFor = options.tokenFor;
    this.app = new App({
      ...(tokenFor
        ? {
            // Every command and event is answered with its own workspace's token.
            // A workspace without an installation is still let through, with no token: its
            // `/news` gets a Korean answer saying how to install (nothing else is done for it).
            authorize: async ({ teamId }) => {
              const botToken = teamId ? await tokenFor(teamId) : null;
              return { ...(botToken ? { botToken } : {}), ...(teamId ? { teamId } : {}) };
            },
          }
        : { token: options.botToken }),
      receiver,
      logger,
      clientOptions,
      // No conversation state is kept between commands: skip Bolt's store middleware.
      convoStore: false,
    });
    this.app.command('/news', (args) =>
      this.onCommand(
        args.command,
        args.ack,
        args.respond,
        options,
        // Single-workspace mode has its token; OAuth mode has one per installed workspace.
        !tokenFor || Boolean(args.context.botToken),
      ),
    );
    // OAuth mode only: there the workspace's installation is what leaves. One workspace with
    // SLACK_BOT_TOKEN keeps its subscriptions through a revoked token, as it always did: the
    // platform pauses until a new token is configured.
    if (tokenFor) {
      // Bolt answers these two without authorizing: the workspace's token may be gone already.
      this.app.event('app_uninstalled', async ({ body }) => {
        await options.onWorkspaceRemoved(body.team_id, 'app_uninstalled');
      });
      this.app.event('tokens_revoked', async ({ body, event }) => {
        // Only the bot token matters: a user's revoked token leaves the bot working.
        if ((event.tokens.bot ?? []).length > 0) {
          await options.onWorkspaceRemoved(body.team_id, 'tokens_revoked');
        }
      });
    }
    this.app.error((error) => {
      options.logger.error({ err: error.message }, 'slack command handling failed');
      return Promise.resolve();
    });
  }

  /** Connects Socket Mode; HTTP mode needs nothing (its route is on the bot's server). */
  async start(): Promise<void> {
    if (this.socketMode) await this.app.start();
  }

  async stop(): Promise<void> {
    if (this.socketMode) await this.app.stop();
  }

  private async onCommand(
    command: SlashCommand,
    ack: (
      response: ReturnType<typeof renderReply> | { response_type: 'ephemeral'; text: string },
    ) => Promise<void>,
    respond: (response: ReturnType<typeof renderReply>) => Promise<unknown>,
    options: SlackCommandsOptions,
    installed: boolean,
  ): Promise<void> {
    if (!installed) {
      await ack({ response_type: 'ephemeral', text: NOT_INSTALLED });
      return;
    }
    const ctx: CommandContext = {
      platform: 'slack',
      workspaceId: command.team_id,
      channelId: command.channel_id,
      userId: command.user_id,
      // Who may use the command in a channel is Slack's own setting; anyone there may subscribe it.
      canManageSubscriptions: true,
    };
    const result = await options.commands.run(ctx, command.text);
    if (result.kind === 'now') {
      await ack(renderReply(result.reply));
      return;
    }
    await ack({ response_type: 'ephemeral', text: result.notice });
    await respond(renderReply(await result.reply));
  }
}
