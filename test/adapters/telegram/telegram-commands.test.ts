import { afterEach, describe, expect, it } from 'vitest';
import { RedisPlatformStatusStore } from '../../../adapters/redis/redis-platform-status.js';
import { changeBotMembership, upgradeToSupergroup } from '../../support/fake-telegram-people.js';
import { waitFor } from '../../support/wait.js';
import {
  ADMIN,
  BOT_NAME,
  chatRef,
  GROUP,
  MEMBER,
  PERSON,
  telegramBot,
  TOKEN,
} from './telegram-fixture.js';

let opened: Awaited<ReturnType<typeof telegramBot>> | null = null;
afterEach(async () => {
  await opened?.close();
  opened = null;
});

async function start() {
  opened = await telegramBot();
  await opened.polling();
  return opened;
}

const following = async (chatId: number) =>
  opened!.bot.subscriptions.get(opened!.bot.sourceId, chatRef(chatId));

describe('/news in Telegram', () => {
  it('registers /news with a Korean description, and answers a lookup in a group as a reply', async () => {
    const { telegram, command, shown } = await start();
    expect(telegram.commands).toEqual([
      { command: 'news', description: expect.stringContaining('ESG 정책뉴스') as unknown },
    ]);
    const asked = command(GROUP, MEMBER, `/news@${BOT_NAME} 1645`);
    expect(asked).not.toBeNull();
    const [answer] = await shown(GROUP, 1);
    expect(answer!.parseMode).toBe('HTML');
    expect(answer!.shown.text).toContain('1645');
    // A reply to the command, which was the message before it in the group.
    expect(answer!.replyTo).toBe(answer!.messageId - 1);
    expect(answer!.shown.entities.some((e) => e.url?.startsWith('http'))).toBe(true);
  });

  it('answers a general /news in a group only where Telegram hands it over (privacy mode)', async () => {
    const { telegram, command, shown } = await start();
    // Privacy mode on, and the bot has not spoken in the group yet: Telegram keeps it back.
    expect(command(GROUP, MEMBER, '/news 1645')).toBeNull();
    // An administrator bot gets every message.
    telegram.chats.get(String(GROUP))!.botStatus = 'administrator';
    expect(command(GROUP, MEMBER, '/news 1646')).not.toBeNull();
    const [answer] = await shown(GROUP, 1);
    expect(answer!.shown.text).toContain('1646');
  });

  it('ignores a command addressed to another bot', async () => {
    const { telegram, command, shown } = await start();
    telegram.privacyMode = false; // so Telegram hands the bot everything
    command(GROUP, MEMBER, '/news@OtherBot 1645');
    command(GROUP, MEMBER, `/news@${BOT_NAME} 1646`);
    // Updates are handled in order: once the second is answered, the first was passed over.
    const answers = await shown(GROUP, 1);
    expect(answers).toHaveLength(1);
    expect(answers[0]!.shown.text).toContain('1646');
    expect(answers[0]!.shown.text).not.toContain('1645');
  });

  it('lets only a group’s administrators change its subscription, and says so in Korean', async () => {
    const { command, shown } = await start();
    command(GROUP, MEMBER, `/news@${BOT_NAME} 구독`);
    const [refused] = await shown(GROUP, 1);
    expect(refused!.shown.text).toContain('그룹 관리자');
    expect(await following(GROUP)).toBeNull();

    command(GROUP, ADMIN, `/news@${BOT_NAME} 구독 탄소`);
    const accepted = (await shown(GROUP, 2))[1]!;
    expect(accepted.shown.text).toContain('이 채널로 보내 드립니다');
    expect((await following(GROUP))?.keywords).toEqual(['탄소']);
  });

  it('lets anyone subscribe their own private chat', async () => {
    const { command, shown } = await start();
    command(PERSON, PERSON, '/news 구독');
    await shown(PERSON, 1);
    expect(await following(PERSON)).not.toBeNull();
  });

  it('answers /start in a private chat with the help', async () => {
    const { command, shown } = await start();
    command(PERSON, PERSON, '/start');
    const [help] = await shown(PERSON, 1);
    expect(help!.shown.text).toContain('뉴스 봇 사용법');
  });

  it('sends the notice first, then the answer, when the source must be read', async () => {
    const { command, shown } = await start();
    command(PERSON, PERSON, '/news 9999');
    const [notice, answer] = await shown(PERSON, 2);
    expect(notice!.shown.text).toContain('찾고 있습니다');
    expect(answer!.shown.text).toContain('9999번 글이 없습니다');
  });

  it('leaves a command from before an outage unanswered, and answers the next one', async () => {
    const { command, shown, telegram } = await start();
    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    command(PERSON, PERSON, '/news 1645', hourAgo);
    command(PERSON, PERSON, '/news 1646');
    const answers = await shown(PERSON, 1);
    expect(answers).toHaveLength(1);
    expect(answers[0]!.shown.text).toContain('1646');
    // Both updates were confirmed: a restart does not see the old one again.
    await waitFor('the offset to move on', () => telegram.updates.unconfirmed().length === 0);
  });

  it('unsubscribes a chat that removed the bot', async () => {
    const { telegram, command, shown } = await start();
    command(GROUP, ADMIN, `/news@${BOT_NAME} 구독`);
    await shown(GROUP, 1);
    expect(await following(GROUP)).not.toBeNull();
    changeBotMembership(telegram, {
      chatId: GROUP,
      byUserId: ADMIN,
      status: 'kicked',
      botToken: TOKEN,
    });
    await waitFor('the group unsubscribed', async () => (await following(GROUP)) === null);
  });

  it('unsubscribes a private chat whose person blocked the bot', async () => {
    const { telegram, command, shown } = await start();
    command(PERSON, PERSON, '/news 구독');
    await shown(PERSON, 1);
    changeBotMembership(telegram, {
      chatId: PERSON,
      byUserId: PERSON,
      status: 'kicked',
      botToken: TOKEN,
    });
    await waitFor('the chat unsubscribed', async () => (await following(PERSON)) === null);
  });

  it('moves a group’s subscription and digest times to its new id when it becomes a supergroup', async () => {
    const { telegram, command, shown } = await start();
    const group = -4000000001;
    const supergroup = -1004000000001;
    telegram.addChat(group, 'group');
    telegram.setMember(group, ADMIN, 'creator');
    command(group, ADMIN, `/news@${BOT_NAME} 구독 탄소 -해외`);
    command(group, ADMIN, `/news@${BOT_NAME} 요약 09:00`);
    await shown(group, 2);
    upgradeToSupergroup(telegram, { groupId: group, supergroupId: supergroup, byUserId: ADMIN });
    await waitFor(
      'the subscription moved',
      async () => (await following(group)) === null && (await following(supergroup)) !== null,
    );
    expect((await following(supergroup))!.keywords).toEqual(['탄소', '-해외']);
    expect(await following(group)).toBeNull();
    // The new id answers as the old one did: the digest time came along.
    command(supergroup, ADMIN, `/news@${BOT_NAME} 상태`);
    const [status] = await shown(supergroup, 1);
    expect(status!.shown.text).toContain('09:00');
  });

  it('pauses Telegram deliveries when Telegram refuses the token while polling', async () => {
    const { telegram, bot } = await start();
    telegram.revoke(TOKEN);
    await waitFor('telegram deliveries paused', async () => bot.queues.deliver.telegram.isPaused());
    const state = await new RedisPlatformStatusStore(bot.redis, bot.keys).get('telegram');
    expect(state).toMatchObject({ state: 'unauthorized' });
    // Nobody was unsubscribed for it.
    expect(telegram.updates.polling).toBe(false);
  });
});
