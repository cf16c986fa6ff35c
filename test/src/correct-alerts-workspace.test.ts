import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { editAlert, type EditDeps } from '../../src/pipeline/fan-out/correct-alerts.js';
import { DeliveryError, type Notifier } from '../../src/ports/notifier.js';
import type { Post } from '../../src/model/post.js';

const post: Post = {
  boardNo: 7,
  title: '정정된 제목',
  date: '2026-12-01',
  url: 'https://k-esg.org/post/7',
} as Post;

function depsRefusing(error: DeliveryError): { deps: EditDeps; paused: string[] } {
  const paused: string[] = [];
  const notifier = {
    platform: 'slack',
    edit: () => Promise.reject(error),
  } as unknown as Notifier;
  const deps: EditDeps = {
    archive: { get: () => Promise.resolve(post) },
    notifiers: new Map([['slack', notifier]]),
    platforms: {
      isPaused: () => Promise.resolve(false),
      pause: (platform) => {
        paused.push(platform);
        return Promise.resolve();
      },
      resume: () => Promise.resolve(),
      resumedAt: () => Promise.resolve(null),
    },
    sentMessages: { forget: () => Promise.resolve() },
    sourceLabel: () => Promise.resolve({ name: 'esg', label: 'ESG 정책뉴스' }),
    logger: pino({ level: 'silent' }),
  };
  return { deps, paused };
}

const target = {
  sourceId: 'esg',
  boardNo: 7,
  channel: { platform: 'slack' as const, workspaceId: 'T-A', channelId: 'C1' },
  messageId: '1.000001',
};

describe('editing an alert when a token is refused', () => {
  it('leaves Slack running for everyone when only one workspace’s token is refused', async () => {
    const refused = new DeliveryError('unauthorized', 'Slack: workspace T-A is paused', {
      scope: 'workspace',
    });
    const { deps, paused } = depsRefusing(refused);
    await expect(editAlert(deps, target)).rejects.toBe(refused);
    expect(paused).toEqual([]);
  });

  it('pauses the platform when its one bot token is refused', async () => {
    const refused = new DeliveryError('unauthorized', 'Slack refused the bot token');
    const { deps, paused } = depsRefusing(refused);
    await expect(editAlert(deps, target)).rejects.toBe(refused);
    expect(paused).toEqual(['slack']);
  });
});
