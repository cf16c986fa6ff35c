import {
  Client,
  Events,
  GatewayIntentBits,
  Routes,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
} from 'discord.js';
import type { CommandService } from '../../src/commands/command-service.js';
import type { ChannelRef } from '../../src/model/subscription.js';
import type { Logger } from '../../src/util/logger.js';
import { DeliveryError } from '../../src/ports/notifier.js';
import type { NO_MENTIONS } from './discord-format.js';
import { renderEdit, renderReply } from './discord-format.js';
import { DIRECT_MESSAGES } from './direct-messages.js';
import { canManageSubscriptions, choiceFor, NEWS_COMMAND } from './news-command.js';

export interface DiscordBotOptions {
  token: string;
  applicationId: string;
  apiUrl: string;
  commands: CommandService;
  logger: Logger;
  /**
   * The gateway closed with 4004 (the token was reset): the client gives up for good. The
   * process stays up and keeps serving the other platform; Discord deliveries are paused.
   */
  onTokenRefused?: (error: DeliveryError) => Promise<void>;
  /** The bot was removed from a server (kicked, or the server deleted), not an outage. */
  onGuildLeft?: (guildId: string) => Promise<void>;
  /** A channel of a server was deleted. */
  onChannelDeleted?: (channel: ChannelRef) => Promise<void>;
}

/** Discord's close code for a refused token (Authentication failed). */
const AUTHENTICATION_FAILED = 4004;

/**
 * The gateway bot: registers `/news` at start and answers its interactions with the shared
 * command handlers. Lookups that must read the board are deferred first, then edited in.
 */
export class DiscordBot {
  private readonly client: Client;
  private readonly log: Logger;

  constructor(private readonly options: DiscordBotOptions) {
    this.log = options.logger.child({ platform: 'discord' });
    this.client = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest: { api: options.apiUrl },
    });
    this.client.on(Events.InteractionCreate, (interaction) => {
      this.onInteraction(interaction).catch((error: unknown) =>
        this.log.error({ err: error }, 'discord interaction failed'),
      );
    });
    // From the raw gateway events: discord.js only emits its own for servers in its cache.
    this.client.on(Events.Raw, (packet: { t?: string; d?: Record<string, unknown> }) => {
      this.onGatewayEvent(packet).catch((error: unknown) =>
        this.log.error({ err: error, event: packet.t }, 'discord lifecycle event failed'),
      );
    });
    this.client.on(Events.Error, (error) =>
      this.log.error({ err: error.message }, 'discord client error'),
    );
    this.client.on(Events.ShardError, (error) => {
      if (error.message === 'Authentication failed') this.tokenRefused();
      else this.log.warn({ err: error.message }, 'discord gateway error');
    });
    this.client.on(Events.ShardDisconnect, (event) => {
      if (event.code === AUTHENTICATION_FAILED) this.tokenRefused();
    });
  }

  async start(): Promise<void> {
    const ready = new Promise<void>((resolve) =>
      this.client.once(Events.ClientReady, () => resolve()),
    );
    await this.client.login(this.options.token);
    await ready;
    // Overwrites the application's global commands with exactly this one.
    await this.client.rest.put(Routes.applicationCommands(this.options.applicationId), {
      body: [NEWS_COMMAND],
    });
    this.log.info('discord bot ready; /news registered');
  }

  private refused = false;

  /**
   * `GUILD_DELETE` with `unavailable` is an outage: the server comes back and keeps its
   * subscriptions. Without it the bot was removed, and the server's subscriptions go.
   */
  private async onGatewayEvent(packet: { t?: string; d?: Record<string, unknown> }): Promise<void> {
    const data = packet.d ?? {};
    if (packet.t === 'GUILD_DELETE' && data.unavailable !== true && typeof data.id === 'string') {
      await this.options.onGuildLeft?.(data.id);
    } else if (
      packet.t === 'CHANNEL_DELETE' &&
      typeof data.guild_id === 'string' &&
      typeof data.id === 'string'
    ) {
      await this.options.onChannelDeleted?.({
        platform: 'discord',
        workspaceId: data.guild_id,
        channelId: data.id,
      });
    }
  }

  private tokenRefused(): void {
    if (this.refused) return; // the error and the disconnect both report it
    this.refused = true;
    const message =
      'the Discord gateway refused the bot token (4004): /news over the gateway stops until a ' +
      'restart with a valid DISCORD_TOKEN; alerts are paused, other platforms keep working';
    // With a gate to tell, the gate logs the refusal at error level once for all processes:
    // this line only adds what the gateway itself stops doing.
    if (this.options.onTokenRefused) this.log.warn(message);
    else this.log.error(message);
    const error = new DeliveryError('unauthorized', 'Discord: the gateway refused the bot token', {
      code: String(AUTHENTICATION_FAILED),
    });
    this.options
      .onTokenRefused?.(error)
      .catch((failure: unknown) =>
        this.log.error({ err: failure }, 'could not pause Discord deliveries'),
      );
  }

  async stop(): Promise<void> {
    await this.client.destroy();
  }

  private async onInteraction(interaction: Interaction): Promise<void> {
    if (interaction.isAutocomplete() && interaction.commandName === NEWS_COMMAND.name) {
      return this.onAutocomplete(interaction);
    }
    if (interaction.isChatInputCommand() && interaction.commandName === NEWS_COMMAND.name) {
      return this.onCommand(interaction);
    }
  }

  private async onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    // Suggestions come from what this server may see: never another tenant's sources.
    const channel = {
      platform: 'discord' as const,
      workspaceId: interaction.guildId ?? DIRECT_MESSAGES,
      channelId: interaction.channelId,
    };
    const suggestions = await this.options.commands.suggest(
      channel,
      interaction.options.getFocused(),
    );
    await interaction.respond(suggestions.map(choiceFor));
  }

  private async onCommand(interaction: ChatInputCommandInteraction): Promise<void> {
    const result = await this.options.commands.run(
      {
        platform: 'discord',
        workspaceId: interaction.guildId ?? DIRECT_MESSAGES,
        channelId: interaction.channelId,
        userId: interaction.user.id,
        canManageSubscriptions: canManageSubscriptions(
          interaction.inGuild() ? (interaction.memberPermissions?.bitfield ?? 0n) : null,
        ),
      },
      interaction.options.getString('query') ?? '',
    );
    if (result.kind === 'now') {
      await interaction.reply(discordJsOptions(renderReply(result.reply)));
      return;
    }
    await interaction.deferReply();
    await interaction.editReply(discordJsOptions(renderEdit(await result.reply)));
  }
}

/** An API-shaped message in discord.js's option names (`allowedMentions`, not `allowed_mentions`). */
function discordJsOptions<T extends { allowed_mentions: typeof NO_MENTIONS }>(message: T) {
  const { allowed_mentions: allowedMentions, ...rest } = message;
  return { ...rest, allowedMentions };
}
