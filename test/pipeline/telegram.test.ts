import { afterEach, describe, expect, it } from 'vitest';
import {
  ADMIN,
  BOT_NAME,
  GROUP,
  PERSON,
  telegramBot,
} from '../adapters/telegram/telegram-fixture.js';

let opened: Awaited<ReturnType<typeof telegramBot>> | null = null;
afterEach(async () => {
  await opened?.close();
  opened = null;
});

describe('the board to a Telegram chat, through the whole bot', () => {
  it('alerts a group and a private chat subscribed from chat, and edits the alerts in place on a correction', async () => {
    opened = await telegramBot();
    const { board, bot, command, shown, telegram, polling } = opened;
    await polling();
    command(GROUP, ADMIN, `/news@${BOT_NAME} 구독`);
    command(PERSON, PERSON, '/news 구독');
    await shown(GROUP, 1);
    await shown(PERSON, 1);

    const post = board.publish('탄소중립 <기본계획> & 이행 점검 발표', '환경부');
    board.publish('녹색분류체계 개정', '금융위원회');
    await bot.pollOnce();
    // Group alerts are 3 s apart (the bot's own per-group limit): more time than the default.
    await bot.drain(60_000);
    for (const chatId of [GROUP, PERSON]) {
      const alerts = telegram.chats.in(String(chatId)).slice(1);
      expect(alerts.map((m) => m.shown.text.split('\n')[1])).toEqual([
        '탄소중립 <기본계획> & 이행 점검 발표',
        '녹색분류체계 개정',
      ]);
      for (const alert of alerts) {
        expect(alert.parseMode).toBe('HTML');
        expect(alert.shown.text).toContain('새 글');
      }
    }
    // Telegram's own limits were kept: no 429 for either chat.
    expect(telegram.rates.rejected429).toEqual({ chat: 0, global: 0 });

    board.correct(post.boardNo, '탄소중립 <기본계획> & 이행 점검 발표(정정)', '기후에너지환경부');
    await bot.pollOnce();
    // Group alerts are 3 s apart (the bot's own per-group limit): more time than the default.
    await bot.drain(60_000);
    for (const chatId of [GROUP, PERSON]) {
      const [, corrected, other] = telegram.chats.in(String(chatId));
      expect(telegram.chats.in(String(chatId))).toHaveLength(3);
      expect(corrected!.edits).toBe(1);
      expect(corrected!.shown.text).toContain('[정정] 탄소중립 <기본계획> & 이행 점검 발표(정정)');
      expect(corrected!.shown.text).toContain('기후에너지환경부');
      expect(other!.edits).toBe(0);
    }
  });
});
