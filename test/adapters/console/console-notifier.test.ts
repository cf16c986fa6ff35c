import { describe, expect, it } from 'vitest';
import { ConsoleNotifier } from '../../../adapters/console/console-notifier.js';
import type { NewsMessage } from '../../../src/model/news-message.js';

const message: NewsMessage = {
  source: null,
  title: '한미일 외교차관 통화(7.24.) 결과',
  url: 'https://k-esg.org/post/3419',
  ministry: '외교부',
  date: '2023-07-24',
  boardNo: 1,
  originalUrl: null,
  summary:
    '장호진 외교부 1차관은 7.24.(월) 오전 통화를 갖고, 협력 강화 방안에 관해 협의하였습니다.',
};

async function printed(m: NewsMessage): Promise<string[]> {
  let out = '';
  await new ConsoleNotifier((text) => (out += text)).send(
    { platform: 'console', workspaceId: 'local', channelId: 'demo' },
    m,
  );
  return out.trim().split('\n');
}

describe('console alerts', () => {
  it('print the lead on its own line under the facts', async () => {
    expect(await printed(message)).toEqual([
      '[demo] 새 글',
      '  한미일 외교차관 통화(7.24.) 결과',
      '  담당부서: 외교부 · 날짜: 2023-07-24 · 번호: 1',
      `  ${message.summary}`,
      '  https://k-esg.org/post/3419',
    ]);
  });

  it('print no lead line for a post without one, and keep a broken lead on one line', async () => {
    for (const summary of [null, '', ' \n ']) {
      expect(await printed({ ...message, summary })).toHaveLength(4);
    }
    const lines = await printed({ ...message, summary: '첫 줄\n둘째 줄' });
    expect(lines[3]).toBe('  첫 줄 둘째 줄');
  });
});

describe('console corrections', () => {
  // The contract's in-place edit does not apply to a terminal: this is what it does instead.
  it('print the corrected alert again, marked, naming the alert it corrects', async () => {
    let out = '';
    const notifier = new ConsoleNotifier((text) => (out += text));
    const channel = { platform: 'console' as const, workspaceId: 'local', channelId: 'demo' };
    const id = await notifier.send(channel, message);
    out = '';
    await notifier.edit(channel, id, { ...message, title: '[정정] 고친 제목', corrected: true });
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe(`[demo] 정정된 글 (알림 ${id.slice(0, 8)} 수정)`);
    expect(lines[1]).toBe('  [정정] 고친 제목');
  });
});
