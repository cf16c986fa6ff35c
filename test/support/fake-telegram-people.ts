import type { FakeTelegram } from './fake-telegram.js';
import type { FakeChat, MemberStatus } from './fake-telegram-chats.js';

/**
 * What people do in Telegram, as the updates the bot then receives (Bot API, Update):
 * type a command, add or remove the bot, upgrade a group to a supergroup.
 */

const chatObject = (chat: FakeChat) => ({
  id: chat.id,
  type: chat.type,
  ...(chat.type === 'private' ? { first_name: '사용자' } : { title: chat.title }),
});

const person = (id: number) => ({ id, is_bot: false, first_name: '사용자', language_code: 'ko' });

/**
 * A person types `text` (`/news 1645`, `/news@SomeBot 구독`) in a chat. With group privacy on
 * (the default), a bot in a group receives only "commands explicitly meant for them
 * (e.g., /command@this_bot)", general commands "if the bot was the last bot to send a message
 * to the group", and everything when it is an administrator (Telegram, "Bot features",
 * Privacy mode); in private chats, everything. Returns the update's id, or `null` when
 * Telegram would not have given the bot this message at all.
 */
export function sendCommand(
  telegram: FakeTelegram,
  options: { chatId: number; userId: number; text: string; botToken: string; date?: number },
): number | null {
  const chat = telegram.chats.get(String(options.chatId));
  if (!chat) throw new Error(`no chat ${options.chatId}`);
  const [command = ''] = options.text.split(/\s/, 1);
  const botId = Number(options.botToken.split(':')[0]);
  const botName = telegram.botName(options.botToken);
  const addressed = command.includes('@');
  const forThisBot = addressed && command.split('@')[1]?.toLowerCase() === botName.toLowerCase();
  if (chat.type !== 'private' && telegram.privacyMode) {
    const admin = chat.botStatus === 'administrator' || chat.botStatus === 'creator';
    const general = !addressed && telegram.lastBotWas(String(chat.id), botId);
    if (!forThisBot && !general && !admin) return null;
  }
  const messageId = telegram.chats.nextId(String(chat.id));
  telegram.chats.recordIncoming(String(chat.id), messageId);
  return telegram.updates.push({
    message: {
      message_id: messageId,
      from: person(options.userId),
      chat: chatObject(chat),
      date: options.date ?? Math.floor(telegram.now() / 1000),
      text: options.text,
      ...(command.startsWith('/')
        ? { entities: [{ type: 'bot_command', offset: 0, length: command.length }] }
        : {}),
    },
  });
}

/**
 * The bot's membership changed (added, made admin, removed, kicked; in a private chat:
 * `kicked` is the user blocking the bot): Telegram sends `my_chat_member`.
 */
export function changeBotMembership(
  telegram: FakeTelegram,
  options: { chatId: number; byUserId: number; status: MemberStatus; botToken: string },
): number {
  const chat = telegram.chats.get(String(options.chatId))!;
  const old = chat.botStatus;
  chat.botStatus = options.status;
  const bot = {
    id: Number(options.botToken.split(':')[0]),
    is_bot: true,
    first_name: 'ESG 정책뉴스',
    username: telegram.botName(options.botToken),
  };
  return telegram.updates.push({
    my_chat_member: {
      chat: chatObject(chat),
      from: person(options.byUserId),
      date: Math.floor(telegram.now() / 1000),
      old_chat_member: { user: bot, status: old },
      new_chat_member: { user: bot, status: options.status },
    },
  });
}

/**
 * A group becomes a supergroup (an admin turned on a supergroup feature): the old id stops
 * working for good (`migrate_to_chat_id` on every call), the supergroup keeps the members,
 * and two service messages arrive, one in each chat. Service messages reach every bot,
 * privacy mode or not.
 */
export function upgradeToSupergroup(
  telegram: FakeTelegram,
  options: { groupId: number; supergroupId: number; byUserId: number },
): void {
  const group = telegram.chats.get(String(options.groupId))!;
  const supergroup = telegram.addChat(options.supergroupId, 'supergroup', {
    botStatus: group.botStatus,
  });
  supergroup.title = group.title;
  for (const [user, status] of group.members) supergroup.members.set(user, status);
  group.migratedTo = options.supergroupId;
  const date = Math.floor(telegram.now() / 1000);
  telegram.updates.push({
    message: {
      message_id: telegram.chats.nextId(String(group.id)),
      from: person(options.byUserId),
      chat: chatObject(group),
      date,
      migrate_to_chat_id: options.supergroupId,
    },
  });
  telegram.updates.push({
    message: {
      message_id: telegram.chats.nextId(String(supergroup.id)),
      from: person(options.byUserId),
      chat: chatObject(supergroup),
      date,
      migrate_from_chat_id: options.groupId,
    },
  });
}
