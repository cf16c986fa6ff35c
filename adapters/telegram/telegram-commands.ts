import type { GrammyError } from 'grammy';
import { Bot, type Context } from 'grammy';
import type { ChatReply, CommandService } from '../../src/commands/command-service.js';
import type { ChannelRef } from '../../src/model/subscription.js';
import { DeliveryError } from '../../src/ports/notifier.js';
import { PLATFORMS } from '../../src/platforms/platform-registry.js';
import type { Logger } from '../../src/util/logger.js';
import type { CommandHooks } from '../platform-module.js';
import { toDeliveryError } from './telegram-errors.js';
import { renderPlainReply, renderReply, type TelegramMessage } from './telegram-format.js';
import { plain } from './telegram-html.js';
import { LeasedPolling, type PollingLease, type PollingOptions } from './telegram-polling.js';

/** Every Telegram chat is filed under this workspace id: each one is its own tenant. */
export const TELEGRAM_CHATS = PLATFORMS.telegram.directMessagesWorkspace;

/** The one command, as `setMyCommands` registers it (the menu Telegram shows next to `/`). */
export const NEWS_COMMAND = {
  command: 'news',
  description: 'ESG 정책뉴스 조회·검색·구독 (예: /news 1645, /news 구독, /news 도움말)',
};

/**
 * Commands older than this are not answered: after an outage Telegram hands over every update
 * of the last 24 hours, and an answer an hour late is confusing. The same span as the claim on
 * each update id (`claimInteraction`, 600 s): a younger command that another process already
 * answered is refused by the claim, an older one by its age.
 */
export const MAX_COMMAND_AGE_MS = 600_000;
/** How long a person's admin status in a group is believed before asking Telegram again. */
const ADMIN_CACHE_MS = 60_000;
/** The sender of messages an anonymous group admin writes (Telegram's @GroupAnonymousBot). */
const ANONYMOUS_ADMIN = 1087968824;

export interface TelegramCommandsOptions {
  token: string;
  apiUrl: string;
  commands: CommandService;
  hooks: CommandHooks;
  lease: PollingLease;
  polling: PollingOptions;
  logger: Logger;
  now?: () => Date;
}

/**
 * `/news` in Telegram: long polling (in one process of the deployment, see `LeasedPolling`),
 * the shared command service, and the bot's membership: a chat that removed the bot is
 * unsubscribed. In groups only the group's creator and administrators change subscriptions.
 */
export class TelegramCommands {
  private readonly bot: Bot;
  private readonly polling: LeasedPolling;
  private readonly log: Logger;
  private readonly admins = new Map<string, { admin: boolean; until: number }>();
  /** Replies still being written (a lookup reading its source): waited for on close. */
  private readonly inFlight = new Set<Promise<void>>();
  private refused = false;

  constructor(private readonly options: TelegramCommandsOptions) {
    this.log = options.logger.child({ platform: 'telegram' });
    this.bot = new Bot(options.token, {
      // Longer than a long poll, so grammY's own timeout never cuts one off.
      client: { apiRoot: options.apiUrl, timeoutSeconds: options.polling.timeoutSeconds + 30 },
    });
    this.bot.on('message', (ctx) => this.onMessage(ctx));
    this.bot.on('my_chat_member', (ctx) => this.onMembership(ctx));
    // Described, not logged whole: a network error of grammY's wraps one naming the URL (token).
    this.bot.catch((error) =>
      this.log.error(
        { err: toDeliveryError(error.error).message, update: error.ctx.update.update_id },
        'telegram update failed',
      ),
    );
    this.polling = new LeasedPolling(this.bot, options.lease, options.polling, this.log, (error) =>
      this.tokenRefused(error),
    );
  }

  /** Registers `/news` and starts polling (or standing by for the lease). */
  async start(): Promise<void> {
    try {
      await this.bot.api.setMyCommands([NEWS_COMMAND]);
    } catch (error) {
      const failure = toDeliveryError(error);
      if (failure.kind === 'unauthorized') throw failure;
      this.log.warn({ err: failure.message }, 'telegram: could not register /news now');
    }
    this.polling.start();
    this.log.info('telegram commands ready');
  }

  async stop(): Promise<void> {
    await this.polling.stop();
    await Promise.allSettled([...this.inFlight]);
  }

  private async onMessage(ctx: Context): Promise<void> {
    const message = ctx.message!;
    if (message.migrate_to_chat_id !== undefined) {
      await this.onUpgraded(String(message.chat.id), String(message.migrate_to_chat_id));
      return;
    }
    const command = readCommand(message.text ?? '', ctx.me.username);
    if (!command || !message.from) return;
    const isPrivate = message.chat.type === 'private';
    // `/start` is what Telegram sends when someone first opens a private chat with the bot.
    const query =
      command.name === 'news'
        ? command.query
        : isPrivate && command.name === 'start'
          ? '도움말'
          : null;
    if (query === null) return;
    const now = (this.options.now ?? (() => new Date()))().getTime();
    if (now - message.date * 1000 > MAX_COMMAND_AGE_MS) {
      this.log.info(
        { chat: message.chat.id, sentAt: message.date },
        'telegram: a command from before an outage left unanswered',
      );
      return;
    }
    if (!(await this.options.hooks.claimInteraction(`telegram-${ctx.update.update_id}`))) return;
    const chatId = String(message.chat.id);
    const manager =
      isPrivate ||
      (message.from.id === ANONYMOUS_ADMIN && message.sender_chat?.id === message.chat.id) ||
      (await this.isGroupAdmin(chatId, message.from.id));
    const result = await this.options.commands.run(
      {
        platform: 'telegram',
        workspaceId: TELEGRAM_CHATS,
        channelId: chatId,
        userId: String(message.from.id),
        canManageSubscriptions: manager,
      },
      query,
    );
    const replyTo = message.message_id;
    if (result.kind === 'now') {
      await this.reply(chatId, replyTo, result.reply);
      return;
    }
    // The notice first, then the answer once the source was read, off the update loop:
    // grammY handles updates one at a time, and one slow source must not hold up the others.
    await this.send(chatId, replyTo, { text: plain(result.notice), html: false });
    const later = result.reply
      .then((reply) => this.reply(chatId, replyTo, reply))
      .catch((error: unknown) =>
        this.log.error(
          { err: toDeliveryError(error).message, chat: chatId },
          'telegram: late reply failed',
        ),
      )
      .finally(() => this.inFlight.delete(later));
    this.inFlight.add(later);
  }

  /** The bot was removed from a chat (left, kicked; in a private chat: blocked). */
  private async onMembership(ctx: Context): Promise<void> {
    const update = ctx.myChatMember!;
    const status = update.new_chat_member.status;
    if (status !== 'left' && status !== 'kicked') return;
    const channel = this.channel(String(update.chat.id));
    this.log.info({ chat: update.chat.id, status }, 'telegram: the bot was removed from a chat');
    await this.options.hooks.onChannelDeleted(channel);
  }

  /**
   * A group became a supergroup under a new id; the old id no longer works. Its subscriptions
   * and schedule move to the new id (Telegram sends this service message to every bot in the
   * group, privacy mode or not).
   */
  private async onUpgraded(from: string, to: string): Promise<void> {
    this.log.info({ from, to }, 'telegram: a group became a supergroup; moving its subscriptions');
    await this.options.hooks.onChannelMoved(this.channel(from), this.channel(to));
  }

  private channel(chatId: string): ChannelRef {
    return { platform: 'telegram', workspaceId: TELEGRAM_CHATS, channelId: chatId };
  }

  /** Whether the person is the group's creator or one of its administrators (getChatMember). */
  private async isGroupAdmin(chatId: string, userId: number): Promise<boolean> {
    const key = `${chatId}:${userId}`;
    const cached = this.admins.get(key);
    if (cached && cached.until > Date.now()) return cached.admin;
    try {
      const member = await this.bot.api.getChatMember(Number(chatId), userId);
      const admin = member.status === 'creator' || member.status === 'administrator';
      if (this.admins.size >= 10_000) this.admins.clear();
      this.admins.set(key, { admin, until: Date.now() + ADMIN_CACHE_MS });
      return admin;
    } catch (error) {
      this.log.warn(
        { err: toDeliveryError(error).message, chat: chatId },
        'telegram: could not read a member’s status',
      );
      return false;
    }
  }

  /** A command's answer, as a reply to the command; plain text if Telegram refused the HTML. */
  private async reply(chatId: string, replyTo: number, reply: ChatReply): Promise<void> {
    try {
      await this.send(chatId, replyTo, renderReply(reply));
    } catch (error) {
      if (!(error instanceof DeliveryError) || error.kind !== 'rejected') throw error;
      await this.send(chatId, replyTo, renderPlainReply(reply));
    }
  }

  /**
   * Sends one message as a reply to the command. Telegram has no message only one person
   * sees: an answer meant for the one who asked still goes to the chat, pointing at the ask.
   * A failure is logged, never retried: a late or repeated answer is worse than none.
   */
  private async send(chatId: string, replyTo: number, message: TelegramMessage): Promise<void> {
    try {
      await this.bot.api.sendMessage(Number(chatId), message.text, {
        ...(message.html ? { parse_mode: 'HTML' as const } : {}),
        link_preview_options: { is_disabled: true },
        reply_parameters: { message_id: replyTo, allow_sending_without_reply: true },
      });
    } catch (error) {
      const failure = toDeliveryError(error);
      if (failure.kind === 'rejected') throw failure;
      this.log.warn({ err: failure.message, chat: chatId }, 'telegram: could not answer a command');
    }
  }

  private tokenRefused(error: GrammyError): void {
    if (this.refused) return;
    this.refused = true;
    this.log.warn(
      'telegram refused the bot token while polling (401): /news stops until a restart with a valid ' +
        'TELEGRAM_BOT_TOKEN; alerts are paused, other platforms keep working',
    );
    this.options.hooks
      .onTokenRefused(
        new DeliveryError('unauthorized', 'Telegram refused the bot token', {
          code: String(error.error_code),
        }),
      )
      .catch((failure: unknown) =>
        this.log.error({ err: failure }, 'could not pause Telegram deliveries'),
      );
  }
}

/**
 * `/news 1645`, `/news@EsgNewsBot 구독 탄소` → the command's name and the rest; `null` for
 * text that is no command, or a command addressed to another bot (`/news@OtherBot`).
 */
export function readCommand(text: string, botName: string): { name: string; query: string } | null {
  const match = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?:\s+([\s\S]*))?$/.exec(text);
  if (!match) return null;
  const [, name, addressee, query = ''] = match;
  if (addressee !== undefined && addressee.toLowerCase() !== botName.toLowerCase()) return null;
  return { name: name!.toLowerCase(), query: query.trim() };
}
