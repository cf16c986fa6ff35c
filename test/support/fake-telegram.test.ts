import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeTelegram } from './fake-telegram.js';
import { sendCommand } from './fake-telegram-people.js';

/** The fake Telegram refuses what Telegram refuses: the adapter's tests mean something only then. */

const TOKEN = '7000000004:AAStrictTokenStrictTokenStrictToken04';
const GROUP = -1001000000004;
const PRIVATE = 7004;

let telegram: FakeTelegram;
let clock: number;

beforeEach(async () => {
  telegram = (await new FakeTelegram().start()).addBot(TOKEN, 'EsgNewsBot');
  clock = 1_800_000_000_000;
  telegram.now = () => clock;
  telegram.addChat(GROUP, 'supergroup');
  telegram.addChat(PRIVATE, 'private');
});

afterEach(async () => {
  await telegram.close();
});

async function call(method: string, body: Record<string, unknown>, token = TOKEN) {
  const response = await fetch(`${telegram.apiUrl}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      ok: boolean;
      result?: unknown;
      description?: string;
      parameters?: { retry_after?: number };
    },
  };
}

const send = (text: string, extra: Record<string, unknown> = {}) =>
  call('sendMessage', { chat_id: GROUP, text, parse_mode: 'HTML', ...extra });

describe('the fake Telegram', () => {
  it('answers 401 to every method for a token it does not know or that was revoked', async () => {
    for (const method of ['getMe', 'sendMessage', 'getUpdates', 'setMyCommands']) {
      const answer = await call(method, { chat_id: GROUP, text: 'x' }, '7000000009:AAUnknown');
      expect(answer).toMatchObject({
        status: 401,
        body: { ok: false, description: 'Unauthorized' },
      });
    }
    expect((await call('getMe', {})).status).toBe(200);
    telegram.revoke(TOKEN);
    expect((await call('getMe', {})).status).toBe(401);
  });

  it('takes form bodies too, as Telegram does', async () => {
    const response = await fetch(`${telegram.apiUrl}/bot${TOKEN}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ chat_id: String(GROUP), text: '양식으로 보낸 글' }).toString(),
    });
    expect(response.status).toBe(200);
    expect(telegram.chats.in(String(GROUP))[0]!.shown.text).toBe('양식으로 보낸 글');
  });

  it.each([
    ['an unknown tag', '<script>x</script>', 'Unsupported start tag "script"'],
    ['an unclosed tag', '<b>굵게', 'Can\'t find end tag corresponding to start tag "b"'],
    ['tags closed out of order', '<b><i>x</b></i>', 'Unmatched end tag'],
    ['a bare <', '1 < 2', 'Unclosed start tag'],
    ['an unknown named entity', 'R&D', 'Unsupported HTML entity'],
    ['a link inside a link', '<a href="https://a.kr"><a href="https://b.kr">x</a></a>', 'Nested'],
    ['bold inside code', '<code><b>x</b></code>', 'inside "code"'],
  ])('refuses %s in HTML with Telegram’s words', async (_what, text, words) => {
    const answer = await send(text);
    expect(answer.status).toBe(400);
    expect(answer.body.description).toContain("Bad Request: can't parse entities: ");
    expect(answer.body.description).toContain(words);
  });

  it('accepts the tags Telegram allows, escaped text and numeric entities', async () => {
    const answer = await send(
      '<b>굵게</b> <i>기울임</i> <u>밑줄</u> <s>취소</s> <a href="https://www.korea.kr/?a=1&amp;b=2">링크</a> <code>코드</code> <pre>블록</pre> <blockquote>인용</blockquote> &lt;b&gt; &amp; &quot; &#33;',
    );
    expect(answer.status).toBe(200);
    const [shown] = telegram.chats.in(String(GROUP));
    expect(shown!.shown.text).toBe('굵게 기울임 밑줄 취소 링크 코드 블록 인용 <b> & " !');
    expect(shown!.shown.entities.find((e) => e.url)?.url).toBe('https://www.korea.kr/?a=1&b=2');
  });

  it('counts 4,096 characters after parsing: tags and entities are free, one more is too long', async () => {
    const fits = `<b>${'가'.repeat(4000)}</b>${'&amp;'.repeat(96)}`;
    expect((await send(fits)).status).toBe(200);
    const answer = await send(`<b>${'가'.repeat(4097)}</b>`);
    expect(answer).toMatchObject({
      status: 400,
      body: { description: 'Bad Request: message is too long' },
    });
    expect((await send('<b> </b>')).body.description).toBe('Bad Request: message text is empty');
  });

  it('knows which chats exist and whether the bot is in them', async () => {
    expect((await call('sendMessage', { chat_id: -100999, text: 'x' })).body.description).toBe(
      'Bad Request: chat not found',
    );
    telegram.chats.get(String(GROUP))!.botStatus = 'kicked';
    expect((await send('x')).body.description).toBe(
      'Forbidden: bot was kicked from the supergroup chat',
    );
    telegram.chats.get(String(PRIVATE))!.botStatus = 'kicked';
    const blocked = await call('sendMessage', { chat_id: PRIVATE, text: 'x' });
    expect(blocked).toMatchObject({
      status: 403,
      body: { description: 'Forbidden: bot was blocked by the user' },
    });
  });

  it('keeps a group to 20 messages a minute on its clock, with retry_after until the window frees', async () => {
    for (let i = 0; i < 20; i++) {
      expect((await send(`글 ${i}`)).status).toBe(200);
      clock += 1_000;
    }
    const limited = await send('21');
    expect(limited).toMatchObject({ status: 429, body: { parameters: { retry_after: 40 } } });
    expect(limited.body.description).toBe('Too Many Requests: retry after 40');
    clock += 39_000;
    expect((await send('21')).status).toBe(429);
    clock += 1_000;
    expect((await send('21')).status).toBe(200);
  });

  it('lets a private chat have a short burst, then about one a second', async () => {
    const toPerson = (text: string) => call('sendMessage', { chat_id: PRIVATE, text });
    for (const text of ['1', '2', '3']) expect((await toPerson(text)).status).toBe(200);
    expect((await toPerson('4')).status).toBe(429);
    clock += 3_000;
    expect((await toPerson('4')).status).toBe(200);
  });

  it('keeps the bot to 30 messages a second across chats', async () => {
    for (let i = 0; i < 30; i++) {
      const id = -1002000000000 - i;
      telegram.addChat(id, 'group');
      expect((await call('sendMessage', { chat_id: id, text: 'x' })).status).toBe(200);
    }
    telegram.addChat(-1003000000000, 'group');
    const limited = await call('sendMessage', { chat_id: -1003000000000, text: 'x' });
    expect(limited).toMatchObject({ status: 429, body: { parameters: { retry_after: 1 } } });
    expect(telegram.rates.rejected429.global).toBe(1);
  });

  it('confirms updates by offset and answers the earlier of two long polls 409', async () => {
    const first = sendCommand(telegram, {
      chatId: PRIVATE,
      userId: PRIVATE,
      text: '/news 1',
      botToken: TOKEN,
    })!;
    const second = sendCommand(telegram, {
      chatId: PRIVATE,
      userId: PRIVATE,
      text: '/news 2',
      botToken: TOKEN,
    })!;
    const both = await call('getUpdates', {});
    expect((both.body.result as Array<{ update_id: number }>).map((u) => u.update_id)).toEqual([
      first,
      second,
    ]);
    // Not confirmed yet: asked again, they come again; an offset past the first confirms it.
    const rest = await call('getUpdates', { offset: first + 1 });
    expect((rest.body.result as Array<{ update_id: number }>).map((u) => u.update_id)).toEqual([
      second,
    ]);
    expect(telegram.updates.unconfirmed()).toEqual([second]);

    const waiting = call('getUpdates', { offset: second + 1, timeout: 30 });
    await new Promise<void>((resolve) => {
      const check = () => (telegram.updates.polling ? resolve() : setTimeout(check, 5));
      check();
    });
    const other = call('getUpdates', { offset: second + 1, timeout: 0 });
    expect(await waiting).toMatchObject({
      status: 409,
      body: {
        description: expect.stringContaining(
          'Conflict: terminated by other getUpdates request',
        ) as unknown,
      },
    });
    expect((await other).body.result).toEqual([]);
  });

  it('keeps group commands for other bots from a bot in privacy mode', () => {
    const asked = (text: string) =>
      sendCommand(telegram, { chatId: GROUP, userId: 1, text, botToken: TOKEN });
    expect(asked('/news 1645')).toBeNull();
    expect(asked('/news@OtherBot 1645')).toBeNull();
    expect(asked('/news@EsgNewsBot 1645')).not.toBeNull();
  });
});
