import { afterEach, describe, expect, it } from 'vitest';
import { slashCommandFrom } from '../support/fake-slack.js';
import { sourcesBot } from '../support/sources-bot.js';
import { waitFor } from '../support/wait.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

type Bot = Awaited<ReturnType<typeof sourcesBot>>;

/** Sends `/news 구독 <feed i>` for every i at once, and waits for every answer. */
async function addAtOnce(
  t: Bot,
  adds: Array<{ team: string; channel: string; path: string }>,
): Promise<string[]> {
  for (const { path } of adds) t.feeds.add(path, 1_000, `${path}의 글`);
  const before = t.slack.responses.length;
  const acks = await Promise.all(
    adds.map(({ team, channel, path }) =>
      slashCommandFrom(t.bot.httpUrl, t.slack, team, channel, `구독 ${t.feeds.url(path)}`),
    ),
  );
  // Refused at once (a full channel) or answered later through the response URL.
  const later = acks.filter((ack) => ack.text.includes('읽어 보고 있습니다')).length;
  await waitFor(`${later} answers`, () => t.slack.responses.length - before >= later, 30_000);
  return [
    ...acks.filter((ack) => !ack.text.includes('읽어 보고 있습니다')).map((ack) => ack.text),
    ...t.slack.responses.slice(before).map((r) => String(r.body.text)),
  ];
}

async function chatSources(t: Bot) {
  return (await t.bot.registry.list()).filter((s) => s.origin === 'chat');
}

describe('limits on chat-added sources under concurrency', () => {
  it('one channel adding 25 feeds at once follows 10, and only those are registered and read', async () => {
    const t = await sourcesBot(cleanup, () => ({ ALLOW_PRIVATE_SOURCES: 'true' }));
    const answers = await addAtOnce(
      t,
      Array.from({ length: 25 }, (_, i) => ({ team: 'T1', channel: 'C-RUSH', path: `/a${i}` })),
    );
    expect(answers).toHaveLength(25);
    expect(answers.filter((a) => a.includes('추가했습니다'))).toHaveLength(10);
    expect(answers.filter((a) => a.includes('10개까지'))).toHaveLength(15);

    const channel = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C-RUSH' };
    expect(await t.bot.subscriptions.followedBy(channel)).toHaveLength(10);
    const registered = (await chatSources(t)).map((s) => s.name).sort();
    expect(registered).toHaveLength(10);
    expect((await t.bot.scheduledSources()).filter((n) => n !== 'esg').sort()).toEqual(registered);
  });

  it('one workspace adding feeds from 30 channels at once gets MAX_SOURCES_PER_WORKSPACE, another workspace its own', async () => {
    const t = await sourcesBot(cleanup, () => ({
      ALLOW_PRIVATE_SOURCES: 'true',
      MAX_SOURCES_PER_WORKSPACE: '12',
    }));
    const answers = await addAtOnce(t, [
      ...Array.from({ length: 30 }, (_, i) => ({ team: 'T1', channel: `C${i}`, path: `/b${i}` })),
      ...Array.from({ length: 5 }, (_, i) => ({ team: 'T2', channel: `C${i}`, path: `/c${i}` })),
    ]);
    expect(answers.filter((a) => a.includes('추가했습니다'))).toHaveLength(12 + 5);
    expect(
      answers.filter((a) => a.includes('워크스페이스(서버)는 채팅으로 추가한 소스를 12개까지')),
    ).toHaveLength(18);
    expect(await chatSources(t)).toHaveLength(17);
    expect((await t.bot.scheduledSources()).filter((n) => n !== 'esg')).toHaveLength(17);
  });

  it('workspaces racing for the last places never register more than MAX_SOURCES', async () => {
    const t = await sourcesBot(cleanup, () => ({
      ALLOW_PRIVATE_SOURCES: 'true',
      MAX_SOURCES: '5',
    }));
    const answers = await addAtOnce(
      t,
      Array.from({ length: 24 }, (_, i) => ({
        team: `T${i % 3}`,
        channel: `C${i}`,
        path: `/d${i}`,
      })),
    );
    // The configured source is one of the five.
    expect(answers.filter((a) => a.includes('추가했습니다'))).toHaveLength(4);
    expect(answers.filter((a) => a.includes('소스를 5개까지 읽습니다'))).toHaveLength(20);
    expect(await chatSources(t)).toHaveLength(4);
    expect(await t.bot.scheduledSources()).toHaveLength(5);
  });
});
