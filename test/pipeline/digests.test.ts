import { afterEach, describe, expect, it } from 'vitest';
import { sourcesBot } from '../support/sources-bot.js';
import { waitFor } from '../support/wait.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

/** An instant written in Korea time. */
const kst = (text: string) => new Date(`${text}+09:00`);

/** The bot's clock: set to any instant, then running on from it with real time. */
class TestClock {
  private base = Date.now();
  private at: number;
  constructor(start: Date) {
    this.at = start.getTime();
  }
  set(to: Date): void {
    this.at = to.getTime();
    this.base = Date.now();
  }
  readonly now = () => new Date(this.at + (Date.now() - this.base));
}

async function digestBot(clock: TestClock) {
  const t = await sourcesBot(cleanup, () => ({}), { now: clock.now });
  await t.poll('esg'); // the first read: archived, nobody alerted
  const inChannel = (channel: string) => t.slack.posted.filter((p) => p.channel === channel);
  /** The sweep the scheduler runs every minute, then whatever it queued. */
  const sweep = async () => {
    await t.bot.sweepOnce();
    await t.bot.drain();
  };
  const publishAndPoll = async (...titles: string[]) => {
    for (const title of titles) t.board.publish(title);
    await t.poll('esg');
    await t.bot.drain();
  };
  return { ...t, inChannel, sweep, publishAndPoll };
}

describe('digests: one message at the channel’s time instead of one per post', () => {
  it('sends every post since the last digest at the set time, and nothing on a day without posts', async () => {
    const clock = new TestClock(kst('2026-12-07T08:30:00')); // a Monday
    const t = await digestBot(clock);
    await t.command('C-NOW', '구독');
    await t.command('C-DIGEST', '구독');
    const set = await t.command('C-DIGEST', '요약 09:00');
    expect(set.text).toContain('매일 09:00');

    await t.publishAndPoll('탄소중립 녹색성장 기본계획 발표', '순환경제 활성화 방안');
    expect(t.inChannel('C-NOW')).toHaveLength(2);
    await t.sweep();
    expect(t.inChannel('C-DIGEST')).toHaveLength(0);

    clock.set(kst('2026-12-07T09:00:20'));
    await t.sweep();
    const [digest, ...more] = t.inChannel('C-DIGEST');
    expect(more).toHaveLength(0);
    expect(digest!.text).toMatch(/^요약 · .* · 새 글 2건/);
    expect(digest!.text).toContain('탄소중립 녹색성장 기본계획 발표');
    expect(digest!.text).toContain('순환경제 활성화 방안');
    expect(digest!.text).toContain('담당부서 환경부');
    // A heading, then one section per post with its link and facts.
    expect(digest!.blocks).toHaveLength(3);
    expect(JSON.stringify(digest!.blocks[1])).toMatch(/<http:\/\/127\.0\.0\.1:\d+\/post\/\d+\|/);

    // Sweeps later that morning send nothing again.
    clock.set(kst('2026-12-07T09:30:00'));
    await t.sweep();
    expect(t.inChannel('C-DIGEST')).toHaveLength(1);

    // A post after the digest waits for the next day's; a day without posts sends nothing.
    await t.publishAndPoll('기후변화 적응 대책');
    await t.sweep();
    expect(t.inChannel('C-DIGEST')).toHaveLength(1);
    clock.set(kst('2026-12-08T09:00:10'));
    await t.sweep();
    expect(t.inChannel('C-DIGEST')).toHaveLength(2);
    expect(t.inChannel('C-DIGEST')[1]!.text).toMatch(/새 글 1건[\s\S]*기후변화 적응 대책/);
    clock.set(kst('2026-12-09T09:00:10'));
    await t.sweep();
    expect(t.inChannel('C-DIGEST')).toHaveLength(2);
    expect(t.inChannel('C-NOW')).toHaveLength(3);
  }, 30_000);

  it('lists at most 20 posts, then how many more and how to see them', async () => {
    const clock = new TestClock(kst('2026-12-07T17:00:00'));
    const t = await digestBot(clock);
    await t.command('C-DIGEST', '구독');
    await t.command('C-DIGEST', '요약 18:00');
    await t.publishAndPoll(...Array.from({ length: 23 }, (_, i) => `보도자료 ${i + 1}`));
    clock.set(kst('2026-12-07T18:00:30'));
    await t.sweep();
    const [digest, ...more] = t.inChannel('C-DIGEST');
    expect(more).toHaveLength(0);
    expect(digest!.text).toContain('새 글 23건');
    expect(digest!.blocks).toHaveLength(22); // heading, 20 posts, what is left
    // Escaped for Slack: it shows `<번호>`.
    expect(digest!.text).toMatch(/외 3건 \(번호 \d+–\d+\): `\/news esg &lt;번호&gt;`/);
    expect(JSON.stringify(digest!.blocks.at(-1))).toContain('외 3건');
  }, 30_000);

  it('sends a digest set for 00:30 Korea time right after midnight there, on a server in UTC', async () => {
    // 23:50 KST on Monday is 14:50 UTC: the server's own date is still Monday too.
    const clock = new TestClock(new Date('2026-12-07T14:50:00Z'));
    const t = await digestBot(clock);
    await t.command('C-NIGHT', '구독');
    await t.command('C-NIGHT', 'digest 00:30');
    await t.publishAndPoll('심야 보도자료');
    clock.set(new Date('2026-12-07T15:29:00Z')); // 00:29 KST
    await t.sweep();
    expect(t.inChannel('C-NIGHT')).toHaveLength(0);
    clock.set(new Date('2026-12-07T15:30:05Z')); // 00:30 KST on Tuesday
    await t.sweep();
    expect(t.inChannel('C-NIGHT')).toHaveLength(1);
  }, 30_000);

  it('sends each digest once when two workers sweep and deliver', async () => {
    const clock = new TestClock(kst('2026-12-07T08:00:00'));
    const t = await digestBot(clock);
    const { PipelineHarness } = await import('../support/pipeline-harness.js');
    const second = new PipelineHarness({
      ...t.bot.options,
      prefix: t.bot.prefix,
      role: 'worker',
      now: clock.now,
    });
    cleanup.push(() => second.stop());
    await second.start();
    const channels = Array.from({ length: 12 }, (_, i) => `C-D${i}`);
    for (const channel of channels) {
      await t.command(channel, '구독');
      await t.command(channel, '요약 09:00');
    }
    await t.publishAndPoll('첫 글', '둘째 글', '셋째 글');
    clock.set(kst('2026-12-07T09:00:01'));
    // Both processes sweep at once, twice: every channel is queued by each.
    await Promise.all([t.bot.sweepOnce(), second.sweepOnce(), t.bot.sweepOnce()]);
    await t.bot.drain();
    await waitFor('a digest in every channel', () =>
      channels.every((c) => t.inChannel(c).length > 0),
    );
    await t.sweep();
    for (const channel of channels) {
      expect(t.inChannel(channel).map((p) => p.text.split('\n')[0])).toEqual([
        expect.stringMatching(/새 글 3건$/),
      ]);
    }
  }, 30_000);
});

describe('quiet hours: held while they last, sent when they end', () => {
  it('sends one held post as an ordinary alert and several as one digest, across midnight', async () => {
    const clock = new TestClock(kst('2026-12-07T21:00:00'));
    const t = await digestBot(clock);
    await t.command('C-Q', '구독');
    expect((await t.command('C-Q', '방해금지 22:00-07:00')).text).toContain('22:00–07:00');

    // Before the window: at once.
    await t.publishAndPoll('저녁 보도자료');
    expect(t.inChannel('C-Q')).toHaveLength(1);

    clock.set(kst('2026-12-07T23:30:00'));
    await t.publishAndPoll('밤 보도자료 하나');
    clock.set(kst('2026-12-08T02:00:00'));
    await t.publishAndPoll('새벽 보도자료 둘');
    await t.sweep();
    expect(t.inChannel('C-Q')).toHaveLength(1);

    clock.set(kst('2026-12-08T07:00:30'));
    await t.sweep();
    const sent = t.inChannel('C-Q');
    expect(sent).toHaveLength(2);
    expect(sent[1]!.text).toMatch(/^방해금지 시간의 새 글 · .* · 새 글 2건/);

    // One post held the next night goes out as a normal alert.
    clock.set(kst('2026-12-08T23:00:00'));
    await t.publishAndPoll('한 건만 나온 밤');
    clock.set(kst('2026-12-09T07:01:00'));
    await t.sweep();
    expect(t.inChannel('C-Q')).toHaveLength(3);
    expect(t.inChannel('C-Q')[2]!.text).toMatch(/^새 글 · [\s\S]*한 건만 나온 밤/);

    const status = await t.command('C-Q', '상태');
    expect(status.text).toContain('방해금지: 22:00–07:00');
    await t.command('C-Q', '방해금지 끄기');
    expect((await t.command('C-Q', '상태')).text).toContain('받는 방식: 새 글이 나오는 대로 바로');
  }, 30_000);

  it('sends what a digest held soon after the digest is turned off', async () => {
    const clock = new TestClock(kst('2026-12-07T10:00:00'));
    const t = await digestBot(clock);
    await t.command('C-OFF', '구독');
    await t.command('C-OFF', '요약 평일 09:00');
    expect((await t.command('C-OFF', '상태')).text).toContain('요약: 평일 09:00');
    await t.publishAndPoll('모아 둔 글');
    await t.sweep();
    expect(t.inChannel('C-OFF')).toHaveLength(0);
    await t.command('C-OFF', '요약 끄기');
    clock.set(kst('2026-12-07T10:05:00'));
    await t.sweep();
    expect(t.inChannel('C-OFF').map((p) => p.text.split('\n')[0])).toEqual([
      expect.stringMatching(/^새 글/),
    ]);
  }, 30_000);
});
