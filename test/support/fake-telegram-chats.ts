import type { ParsedText } from './fake-telegram-html.js';

/** A chat's kind (Bot API, Chat.type). */
export type ChatType = 'private' | 'group' | 'supergroup' | 'channel';

/** A member's status (Bot API, ChatMember): creator, administrator, member, left, kicked. */
export type MemberStatus =
  'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';

export interface FakeChat {
  id: number;
  type: ChatType;
  title: string;
  /** The bot's own status there; a private chat the user blocked the bot in is `kicked`. */
  botStatus: MemberStatus;
  members: Map<number, MemberStatus>;
  /** Set when a group was upgraded: the supergroup's id (Bot API, `migrate_to_chat_id`). */
  migratedTo?: number;
  /** The chat was deleted (or never existed for the bot). */
  gone?: boolean;
}

/** A message the bot sent, as the chat shows it now (edits applied). */
export interface ShownTelegramMessage {
  messageId: number;
  /** What was sent, as sent. */
  sentText: string;
  parseMode: string | null;
  shown: ParsedText;
  linkPreviewDisabled: boolean;
  /** The message this one answers (`reply_parameters`), if any. */
  replyTo: number | null;
  edits: number;
}

/** The chats the fake knows, and what the bot posted in each. */
export class TelegramChats {
  readonly chats = new Map<string, FakeChat>();
  readonly messages = new Map<string, ShownTelegramMessage[]>();
  /** Messages people sent (commands), which replies may point at. */
  private readonly incoming = new Map<string, Set<number>>();
  private nextMessageId = new Map<string, number>();

  add(id: number, type: ChatType, options: { title?: string; botStatus?: MemberStatus } = {}) {
    const chat: FakeChat = {
      id,
      type,
      title: options.title ?? (type === 'private' ? '' : `그룹 ${id}`),
      botStatus: options.botStatus ?? 'member',
      members: new Map(),
    };
    this.chats.set(String(id), chat);
    return chat;
  }

  get(chatId: string): FakeChat | undefined {
    return this.chats.get(chatId);
  }

  /** The next message id of a chat: ids count up per chat, as Telegram's do. */
  nextId(chatId: string): number {
    const id = this.nextMessageId.get(chatId) ?? 1;
    this.nextMessageId.set(chatId, id + 1);
    return id;
  }

  recordIncoming(chatId: string, messageId: number): void {
    const ids = this.incoming.get(chatId) ?? new Set();
    ids.add(messageId);
    this.incoming.set(chatId, ids);
  }

  hasMessage(chatId: string, messageId: number): boolean {
    return (
      (this.incoming.get(chatId)?.has(messageId) ?? false) ||
      (this.messages.get(chatId) ?? []).some((m) => m.messageId === messageId)
    );
  }

  post(chatId: string, message: ShownTelegramMessage): void {
    const list = this.messages.get(chatId) ?? [];
    list.push(message);
    this.messages.set(chatId, list);
  }

  in(chatId: string): ShownTelegramMessage[] {
    return this.messages.get(chatId) ?? [];
  }
}
