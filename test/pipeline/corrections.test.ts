import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/util/logger.js';
import { APPLICATION_ID, FakeDiscord } from '../support/fake-discord.js';
import { FakeBoard } from '../support/fake-board.js';
import { FakeSlack, slashCommand } from '../support/fake-slack.js';
import { FeedServer } from '../support/feed-server.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { RecordingNotifier } from '../doubles/recording-notifier.js';
import { waitFor } from '../support/wait.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

const DISCORD_CHANNEL = '100000000000000007';

/** The title of a Discord alert as sent (its embed's), in a channel's n-th message. */
const discordTitle = (discord: FakeDiscord, n: number) =>
  (discord.messages.get(DISCORD_CHANNEL)?.[n]?.embeds as Array<{ title: string }>)[0]!.title;

describe('a post the source corrects after it was announced', () => {
  it('edits every alert in place on Slack and Discord, marked 정정, and posts nothing new', async () => {
    const board = await new FakeBoard().start();
    const slack = (await new FakeSlack().start()).addTeam('T1', 'xoxb-corrections');
    slack.addChannel('T1', 'C1', 'C2');
    const discord = await new FakeDiscord().start();
    cleanup.push(
      () => board.close(),
      () => slack.close(),
      () => discord.close(),
    );
    const bot = new PipelineHarness({
      feedUrl: board.url,
      role: 'all',
      env: {
        SLACK_BOT_TOKEN: 'xoxb-corrections',
        SLACK_SIGNING_SECRET: 'signing-secret',
        SLACK_API_URL: slack.apiUrl,
        DISCORD_TOKEN: 'discord-corrections-token-0123456789',
        DISCORD_APPLICATION_ID: APPLICATION_ID,
        DISCORD_API_URL: discord.apiUrl,
      },
    });
    cleanup.push(() => bot.close());
    await bot.start();
    await bot.subscribe('slack', 'C1');
    await bot.subscribe('slack', 'C2');
    await bot.subscribe('discord', DISCORD_CHANNEL);
    await bot.pollOnce();
    const post = board.publish('탄소중립 기본계획 발표', '환경부');
    const other = board.publish('녹색분류체계 개정', '금융위원회');
    await bot.pollOnce();
    await bot.drain();
    expect(slack.posted).toHaveLength(4);
    const sentTs = slack.posted.filter((m) => m.text.includes('탄소중립')).map((m) => m.ts);

    board.correct(post.boardNo, '탄소중립 기본계획(정정) 발표', '기후에너지환경부');
    await bot.pollOnce();
    await bot.drain();

    // Slack: the same two messages, edited; the other post's alerts untouched.
    expect(slack.posted).toHaveLength(4);
    expect(slack.updates.map((u) => u.ts).sort()).toEqual([...sentTs].sort());
    for (const update of slack.updates) {
      expect(update.text).toContain('[정정] 탄소중립 기본계획(정정) 발표');
      expect(update.text).toContain('기후에너지환경부');
    }
    const edited = slack.posted.find((m) => m.ts === sentTs[0])!;
    expect(JSON.stringify(edited.blocks)).toContain('[정정] 탄소중립 기본계획(정정) 발표');
    // The edit says not to parse, as the post did: chat.update has its own default.
    expect(edited.parse).toBe('none');
    expect(slack.posted.filter((m) => m.text.includes(other.title))).toHaveLength(2);

    // Discord: PATCH on the message the alert created, nothing created.
    expect(discord.messages.get(DISCORD_CHANNEL)).toHaveLength(2);
    expect(discord.edits).toHaveLength(1);
    expect(discordTitle(discord, 0)).toBe('[정정] 탄소중립 기본계획(정정) 발표');
    expect(discordTitle(discord, 1)).toBe(other.title);

    // The archive and lookups show the corrected post.
    const lookup = await slashCommand(bot.httpUrl, slack, 'C1', String(post.boardNo));
    expect(JSON.stringify(lookup)).toContain('탄소중립 기본계획(정정) 발표');
    expect(JSON.stringify(lookup)).toContain('기후에너지환경부');

    // Read again unchanged: nothing more is edited.
    await bot.pollOnce();
    await bot.drain();
    expect(slack.updates).toHaveLength(2);
    expect(discord.edits).toHaveLength(1);
  });

  it('edits feed alerts when an item keeps its id and changes its title; a deleted alert is forgotten', async () => {
    const feed = await new FeedServer().start();
    cleanup.push(() => feed.close());
    const notifier = new RecordingNotifier();
    const bot = new PipelineHarness({ feedUrl: feed.url, role: 'all', notifiers: [notifier] });
    cleanup.push(() => bot.close());
    await bot.start();
    await bot.subscribe('slack', 'C1');
    await bot.subscribe('slack', 'C2');
    const item = (title: string) => ({
      title,
      guid: 'tag:example.org,2026:release-1',
      link: 'https://example.org/news/2026/11/release-1',
      date: new Date(),
    });
    feed.items = [];
    await bot.pollOnce();
    feed.items = [item('원래 제목')];
    await bot.pollOnce();
    await bot.drain();
    expect(notifier.sent.map((s) => s.title)).toEqual(['원래 제목', '원래 제목']);

    // C2 deleted its alert: the edit finds no message there, and C1 is still edited.
    notifier.failures.set('C2', [{ kind: 'permanent', code: 'message_not_found' }]);
    feed.items = [item('고친 제목')];
    await bot.pollOnce();
    await bot.drain();
    expect(notifier.sent).toHaveLength(2);
    expect(notifier.edits.map((e) => [e.channelId, e.title])).toEqual([['C1', '[정정] 고친 제목']]);
    expect(await bot.subscriptions.count(bot.sourceId)).toBe(2); // nobody unsubscribed

    // A second correction edits C1 again; C2's alert was forgotten.
    feed.items = [item('다시 고친 제목')];
    await bot.pollOnce();
    await bot.drain();
    expect(notifier.edits.map((e) => [e.channelId, e.title])).toEqual([
      ['C1', '[정정] 고친 제목'],
      ['C1', '[정정] 다시 고친 제목'],
    ]);
  });

  it('leaves alerts older than CORRECTION_WINDOW alone, saying so at debug level', async () => {
    const board = await new FakeBoard().start();
    cleanup.push(() => board.close());
    const lines: Array<{ level: number; msg: string }> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          lines.push(JSON.parse(line) as (typeof lines)[number]);
        }
        done();
      },
    });
    const notifier = new RecordingNotifier();
    const bot = new PipelineHarness({
      feedUrl: board.url,
      role: 'all',
      notifiers: [notifier],
      env: { CORRECTION_WINDOW: '1s' },
      logger: createLogger('debug', sink),
    });
    cleanup.push(() => bot.close());
    await bot.start();
    await bot.subscribe('slack', 'C1');
    await bot.pollOnce();
    const post = board.publish('오래전에 알린 글');
    await bot.pollOnce();
    await bot.drain();
    expect(notifier.sent).toHaveLength(1);

    // Past the window, where the alert went is forgotten (Redis expires the record).
    const sent = bot.keys.sentMessages(bot.sourceId, post.boardNo);
    expect(await bot.redis.exists(sent)).toBe(1);
    await waitFor('the sent alert forgotten', async () => (await bot.redis.exists(sent)) === 0);
    board.correct(post.boardNo, '오래전에 알린 글(정정)');
    await bot.pollOnce();
    await bot.drain();
    expect(notifier.edits).toEqual([]);
    expect(notifier.sent).toHaveLength(1);
    expect((await bot.archive.get(bot.sourceId, post.boardNo))?.title).toBe(
      '오래전에 알린 글(정정)',
    );
    const said = lines.filter((l) =>
      l.msg.startsWith('corrected posts have no alert left to edit'),
    );
    expect(said).toHaveLength(1);
    expect(said[0]!.level).toBe(20); // debug
  });
});
