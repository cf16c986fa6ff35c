import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, startHttpServer, type LocalServer } from './http-server.js';
import {
  TelegramChats,
  type ChatType,
  type FakeChat,
  type MemberStatus,
} from './fake-telegram-chats.js';
import { checkMessage, type MessageCheck } from './fake-telegram-messages.js';
import { TelegramRateLimits } from './fake-telegram-limits.js';
import { telegramError, TelegramUpdates } from './fake-telegram-updates.js';

export type { ShownTelegramMessage } from './fake-telegram-chats.js';
export { telegramSafetyProblems } from './fake-telegram-html.js';

/** One Bot API call as the fake answered it, at the fake's time. */
export interface TelegramCall {
  method: string;
  /** `chat_id` of the call, as a string, when it had one. */
  chatId: string | null;
  at: number;
  status: number;
  /** Seconds, on a 429. */
  retryAfter?: number;
}

/** How a chat's calls fail below the Bot API: an HTTP 5xx, or the connection dropped. */
export type TransportFault = 500 | 502 | 'reset';

type Params = Record<string, unknown>;
type Answer = { status: number; body: unknown };

const ok = (result: unknown): Answer => ({ status: 200, body: { ok: true, result } });
const fail = (status: number, description: string, parameters?: Record<string, number>) => ({
  status,
  body: telegramError(status, description, parameters),
});

/**
 * A local Telegram Bot API: `POST /bot<token>/<method>` with JSON or form bodies (query
 * parameters too), answering `{ok: true, result}` or `{ok: false, error_code, description,
 * parameters}` as the Bot API does. Every call is checked as Telegram checks it: the token
 * (unknown or revoked: 401 for every method), the chat and the bot's place in it, the HTML,
 * the length after parsing, the flood limits. Records what it was asked and answered; fails
 * on demand per chat. Rate windows run on `now`, which a test may replace with its own clock.
 */
export class FakeTelegram {
  now: () => number = () => Date.now();
  readonly chats = new TelegramChats();
  readonly rates = new TelegramRateLimits(() => this.now());
  readonly updates = new TelegramUpdates();
  /** Every Bot API call, in order. */
  readonly requests: TelegramCall[] = [];
  /** What `setMyCommands` registered last. */
  commands: Array<{ command: string; description: string }> = [];
  /** Group privacy (on by default, as for every bot): see {@link sendCommand}. */
  privacyMode = true;
  /** Calls about a chat that fail below the Bot API. */
  readonly transportFaults = new Map<string, TransportFault>();
  /** The chat refuses HTML (`can't parse entities`) or every message (`message is too long`). */
  readonly contentFaults = new Map<string, 'html' | 'all'>();
  /** Chats flooded until this instant of the fake's clock (a planted 429). */
  readonly floodedUntil = new Map<string, number>();
  private readonly bots = new Map<string, { id: number; username: string; revoked: boolean }>();
  private server: LocalServer | null = null;
  /** The last bot that posted in each chat: privacy mode lets general commands through then. */
  private readonly lastBotIn = new Map<string, number>();

  get apiUrl(): string {
    return this.server!.url;
  }

  async start(): Promise<this> {
    this.server = await startHttpServer((req, res) => this.handle(req, res));
    return this;
  }

  async close(): Promise<void> {
    this.updates.close();
    await this.server?.close();
  }

  /** A bot with this token (from @BotFather): `id` is the token's digits before `:`. */
  addBot(token: string, username: string): this {
    this.bots.set(token, { id: Number(token.split(':')[0]), username, revoked: false });
    return this;
  }

  /** The username of the bot with this token (what `/news@<username>` names). */
  botName(token: string): string {
    const bot = this.bots.get(token);
    if (!bot) throw new Error('no bot with this token');
    return bot.username;
  }

  /** The token is revoked (@BotFather /revoke): every method answers 401 from now on. */
  revoke(token: string): void {
    const bot = this.bots.get(token);
    if (bot) bot.revoked = true;
    // A long poll waiting on the revoked token is answered as any call of it would be.
    this.updates.failPending(401, 'Unauthorized');
  }

  addChat(id: number, type: ChatType, options: { botStatus?: MemberStatus } = {}): FakeChat {
    return this.chats.add(id, type, options);
  }

  /** Sets a person's status in a chat (`creator`, `administrator`, `member`, …). */
  setMember(chatId: number, userId: number, status: MemberStatus): void {
    this.chats.get(String(chatId))!.members.set(userId, status);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const route = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    const params = { ...Object.fromEntries(url.searchParams), ...(await readParams(req)) };
    const send = (answer: Answer) => {
      if (res.writableEnded || res.destroyed) return;
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    };
    if (!route) return send(fail(404, 'Not Found'));
    const [, token, method] = route as unknown as [string, string, string];
    const chatId =
      typeof params.chat_id === 'string' || typeof params.chat_id === 'number'
        ? String(params.chat_id)
        : null;
    const call: TelegramCall = { method, chatId, at: this.now(), status: 0 };
    this.requests.push(call);
    const answer = (result: Answer) => {
      call.status = result.status;
      const body = result.body as { parameters?: { retry_after?: number } };
      if (body.parameters?.retry_after !== undefined) call.retryAfter = body.parameters.retry_after;
      send(result);
    };
    const bot = this.bots.get(token);
    // Telegram answers 401 to any method of a token it does not know (or revoked).
    if (!bot || bot.revoked) return answer(fail(401, 'Unauthorized'));
    const fault = chatId === null ? undefined : this.transportFaults.get(chatId);
    if (fault === 'reset') {
      call.status = -1;
      req.socket.destroy();
      return;
    }
    if (fault !== undefined) {
      call.status = fault;
      res.writeHead(fault, { 'content-type': 'text/html' });
      res.end(
        fault === 502 ? '<html><body>502 Bad Gateway</body></html>' : 'Internal Server Error',
      );
      return;
    }
    if (method === 'getUpdates') {
      await this.updates.getUpdates(
        params,
        (status, body) => answer({ status, body }),
        (listener) => res.on('close', listener),
      );
      return;
    }
    answer(this.call(method, params, bot));
  }

  private call(method: string, params: Params, bot: { id: number; username: string }): Answer {
    const me = { id: bot.id, is_bot: true, first_name: 'ESG 정책뉴스', username: bot.username };
    switch (method) {
      case 'getMe':
        return ok({ ...me, can_join_groups: true, can_read_all_group_messages: !this.privacyMode });
      case 'deleteWebhook':
        if (params.drop_pending_updates === true) this.updates.dropPending();
        return ok(true);
      case 'setMyCommands':
        return this.setMyCommands(params);
      case 'getChatMember':
        return this.getChatMember(params);
      case 'sendMessage':
      case 'editMessageText':
        return this.message(method, params, me);
      default:
        return fail(404, 'Not Found');
    }
  }

  private setMyCommands(params: Params): Answer {
    const commands = params.commands as Array<{ command?: unknown; description?: unknown }>;
    if (!Array.isArray(commands) || commands.length > 100) {
      return fail(400, 'Bad Request: commands must be an array of at most 100');
    }
    for (const c of commands) {
      // BotCommand: command 1-32 of a-z, 0-9 and _; description 1-256 characters.
      if (typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) {
        return fail(400, 'Bad Request: BOT_COMMAND_INVALID');
      }
      if (
        typeof c.description !== 'string' ||
        c.description.length < 1 ||
        c.description.length > 256
      ) {
        return fail(400, 'Bad Request: command description is invalid');
      }
    }
    this.commands = commands as typeof this.commands;
    return ok(true);
  }

  private getChatMember(params: Params): Answer {
    const reached = this.reachChat(String(params.chat_id));
    if ('status' in reached) return reached;
    const userId = Number(params.user_id);
    const status = reached.members.get(userId) ?? 'left';
    return ok({ status, user: { id: userId, is_bot: false, first_name: '사용자' } });
  }

  /** The chat as the bot may reach it, or Telegram's answer why not. */
  private reachChat(chatId: string): FakeChat | Answer {
    const chat = this.chats.get(chatId);
    if (!chat || chat.gone) return fail(400, 'Bad Request: chat not found');
    if (chat.migratedTo !== undefined) {
      return fail(400, 'Bad Request: group chat was upgraded to a supergroup chat', {
        migrate_to_chat_id: chat.migratedTo,
      });
    }
    const kind =
      chat.type === 'supergroup'
        ? 'supergroup chat'
        : chat.type === 'channel'
          ? 'channel chat'
          : 'group chat';
    if (chat.botStatus === 'kicked') {
      return fail(
        403,
        chat.type === 'private'
          ? 'Forbidden: bot was blocked by the user'
          : `Forbidden: bot was kicked from the ${kind}`,
      );
    }
    if (chat.botStatus === 'left' && chat.type !== 'private') {
      return fail(403, `Forbidden: bot is not a member of the ${kind}`);
    }
    return chat;
  }

  private message(method: string, params: Params, me: { id: number }): Answer {
    const chatId = String(params.chat_id);
    const reached = this.reachChat(chatId);
    if ('status' in reached) return reached;
    const flooded = this.floodedUntil.get(chatId) ?? 0;
    if (flooded > this.now()) {
      const seconds = Math.ceil((flooded - this.now()) / 1000);
      this.rates.rejected429.chat++;
      return fail(429, `Too Many Requests: retry after ${seconds}`, { retry_after: seconds });
    }
    const checked = checkMessage(params, this.contentFaults.get(chatId));
    if ('status' in checked) return checked;
    const editing = method === 'editMessageText';
    const target = editing ? this.editTarget(chatId, params, checked) : null;
    if (target && 'status' in target) return target;
    if (!editing && !this.replyTargetExists(chatId, params)) {
      return fail(400, 'Bad Request: message to be replied not found');
    }
    const limited = this.rates.take(chatId);
    if (limited) {
      return fail(429, `Too Many Requests: retry after ${limited.retryAfter}`, {
        retry_after: limited.retryAfter,
      });
    }
    this.lastBotIn.set(chatId, me.id);
    if (target) {
      Object.assign(target, {
        sentText: checked.sentText,
        parseMode: checked.parseMode,
        shown: checked.shown,
      });
      target.linkPreviewDisabled = checked.linkPreviewDisabled;
      target.edits++;
      return ok(this.messageObject(reached, target.messageId, checked, me));
    }
    const messageId = this.chats.nextId(chatId);
    const reply = params.reply_parameters as { message_id?: number } | undefined;
    this.chats.post(chatId, {
      messageId,
      ...checked,
      replyTo: reply?.message_id ?? null,
      edits: 0,
    });
    return ok(this.messageObject(reached, messageId, checked, me));
  }

  private editTarget(chatId: string, params: Params, checked: MessageCheck) {
    const target = this.chats.in(chatId).find((m) => m.messageId === Number(params.message_id));
    if (!target) return fail(400, 'Bad Request: message to edit not found');
    if (target.sentText === checked.sentText && target.parseMode === checked.parseMode) {
      return fail(
        400,
        'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      );
    }
    return target;
  }

  private replyTargetExists(chatId: string, params: Params): boolean {
    const reply = params.reply_parameters as
      { message_id?: number; allow_sending_without_reply?: boolean } | undefined;
    if (!reply) return true;
    return (
      reply.allow_sending_without_reply === true ||
      this.chats.hasMessage(chatId, Number(reply.message_id))
    );
  }

  private messageObject(
    chat: FakeChat,
    messageId: number,
    checked: MessageCheck,
    me: { id: number },
  ) {
    return {
      message_id: messageId,
      date: Math.floor(this.now() / 1000),
      chat: {
        id: chat.id,
        type: chat.type,
        ...(chat.type === 'private' ? {} : { title: chat.title }),
      },
      from: { ...me, is_bot: true },
      text: checked.shown.text,
    };
  }

  /** Whether the last bot that posted in a chat is the one with this id. */
  lastBotWas(chatId: string, botId: number): boolean {
    return this.lastBotIn.get(chatId) === botId;
  }
}

/** A request's parameters: a JSON body, or a form (objects in it JSON-serialized, as Telegram takes them). */
async function readParams(req: IncomingMessage): Promise<Params> {
  const body = await readBody(req);
  if (body === '') return {};
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/json')) return JSON.parse(body) as Params;
  const params: Params = {};
  for (const [key, value] of new URLSearchParams(body)) {
    params[key] = /^[[{]/.test(value) ? (JSON.parse(value) as unknown) : value;
  }
  return params;
}
