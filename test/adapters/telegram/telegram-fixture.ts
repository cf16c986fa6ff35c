import { FakeBoard } from '../../support/fake-board.js';
import { FakeTelegram } from '../../support/fake-telegram.js';
import { sendCommand } from '../../support/fake-telegram-people.js';
import { PipelineHarness, type HarnessOptions } from '../../support/pipeline-harness.js';
import { waitFor } from '../../support/wait.js';

export const TOKEN = '7000000002:AAFixtureTokenFixtureTokenFixture0002';
export const BOT_NAME = 'EsgNewsBot';
export const GROUP = -1001000000001;
export const ADMIN = 5001;
export const MEMBER = 5002;
export const PERSON = 5003;

/** The whole bot (`all`) with Telegram configured against a fake, reading the fake board. */
export async function telegramBot(
  options: { harness?: Partial<HarnessOptions>; telegram?: FakeTelegram; board?: FakeBoard } = {},
) {
  const board = options.board ?? (await new FakeBoard().start());
  const telegram = options.telegram ?? (await new FakeTelegram().start()).addBot(TOKEN, BOT_NAME);
  if (!telegram.chats.get(String(GROUP))) {
    telegram.addChat(GROUP, 'supergroup');
    telegram.setMember(GROUP, ADMIN, 'administrator');
    telegram.setMember(GROUP, MEMBER, 'member');
    telegram.addChat(PERSON, 'private');
  }
  const bot = await new PipelineHarness({
    feedUrl: board.url,
    role: 'all',
    env: {
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_URL: telegram.apiUrl,
      TELEGRAM_RATE_LIMIT: '0',
    },
    ...options.harness,
  }).start();
  await waitFor('the first poll', async () => (await bot.states.get(bot.sourceId)).cursor !== null);
  return {
    board,
    telegram,
    bot,
    /** A person's command in a chat, as Telegram hands it to the bot (`null`: it does not). */
    command: (chatId: number, userId: number, text: string, date?: number) =>
      sendCommand(telegram, {
        chatId,
        userId,
        text,
        botToken: TOKEN,
        ...(date === undefined ? {} : { date }),
      }),
    /** Waits until the chat shows `count` messages of the bot; returns them. */
    shown: (chatId: number, count: number) =>
      waitFor(`${count} messages in ${chatId}`, () => {
        const messages = telegram.chats.in(String(chatId));
        return messages.length >= count ? messages : null;
      }),
    /** Waits until the bot polls (a long poll is waiting at the fake). */
    polling: () => waitFor('the bot to poll', () => telegram.updates.polling),
    close: async () => {
      await bot.close();
      await telegram.close();
      await board.close();
    },
  };
}

export const chatRef = (chatId: number) => ({
  platform: 'telegram' as const,
  workspaceId: 'chat',
  channelId: String(chatId),
});
