import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisKeys } from '../../adapters/redis/redis-keys.js';
import { RedisSourceRegistry } from '../../adapters/redis/redis-source-registry.js';
import { RedisSourceStateStore } from '../../adapters/redis/redis-source-state.js';
import { CliError } from '../../src/cli/cli-output.js';
import { cursorWarning, getCursor, setCursor } from '../../src/cli/cursor-command.js';
import { formatSources, listSources, redactSources } from '../../src/cli/sources-command.js';
import { cliFixture, memoryOutput, type CliFixture } from './cli-fixture.js';

let t: CliFixture;
let states: RedisSourceStateStore;

beforeEach(async () => {
  t = await cliFixture({
    SOURCES: 'esg=https://k-esg.org/post kr=https://api.example.kr/rss?serviceKey=SECRET-VALUE',
  });
  states = new RedisSourceStateStore(t.test.redis, new RedisKeys(t.test.prefix));
});

afterEach(async () => {
  await t.cleanup();
});

describe('sources', () => {
  it('shows each source with its newest post, last read and last error, and no secret', async () => {
    await new RedisSourceRegistry(t.test.redis, new RedisKeys(t.test.prefix)).syncConfigured(
      t.config.sources,
    );
    await t.services.archive.save([
      {
        sourceId: 'esg',
        boardNo: 1653,
        title: '탄소중립 이행계획',
        ministry: '환경부',
        date: '2026-11-28',
        url: 'https://k-esg.org/post/4400',
        originalUrl: null,
      },
    ]);
    await states.advanceCursor('esg', 1653);
    await states.recordSuccess('esg', new Date('2026-11-29T01:00:00Z'), {});
    await states.recordFailure(
      'kr',
      new Date('2026-11-29T02:00:00Z'),
      'HTTP_STATUS: 401 for ?serviceKey=SECRET-VALUE',
    );
    await t.services.subscriptions.subscribe('esg', {
      platform: 'slack',
      workspaceId: 'T1',
      channelId: 'C1',
      keywords: [],
      createdAt: '2026-11-01T00:00:00.000Z',
    });

    const out = memoryOutput();
    const sources = redactSources(out, await listSources(t.services));

    expect(sources).toEqual([
      expect.objectContaining({
        name: 'esg',
        origin: 'config',
        url: 'https://k-esg.org/post',
        newest: 1653,
        cursor: 1653,
        lastReadAt: '2026-11-29T01:00:00.000Z',
        lastError: null,
        subscribers: 1,
      }),
      expect.objectContaining({
        name: 'kr',
        url: 'https://api.example.kr/rss?serviceKey=***',
        newest: null,
        lastError: 'HTTP_STATUS: 401 for ?serviceKey=[redacted]',
        failingSince: '2026-11-29T02:00:00.000Z',
      }),
    ]);
    const text = formatSources(sources);
    expect(text).not.toContain('SECRET-VALUE');
    expect(text).toContain('newest       #1653   cursor 1653');
    expect(text).toContain(
      'last error   2026-11-29T02:00:00Z (failing since 2026-11-29T02:00:00Z)',
    );
  });
});

describe('cursor', () => {
  it('moves a cursor down as well as up', async () => {
    await states.advanceCursor('esg', 1653);

    expect(await setCursor(t.services, 'esg', 1650)).toMatchObject({
      previous: 1653,
      cursor: 1650,
    });
    expect((await states.get('esg')).cursor).toBe(1650);
    expect(await setCursor(t.services, 'esg', 1700)).toMatchObject({
      previous: 1650,
      cursor: 1700,
    });
    expect(await getCursor(t.services, 'esg')).toMatchObject({ source: 'esg', cursor: 1700 });
  });

  it('refuses an unknown source and writes nothing for it', async () => {
    const error: unknown = await setCursor(t.services, 'nope', 5).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toMatch(/^unknown source "nope" \(known: esg, kr\)/);
    expect(await t.test.redis.exists(new RedisKeys(t.test.prefix).sourceState('nope'))).toBe(0);
  });

  it('warns that a feed announces items when first seen, whatever its cursor', () => {
    expect(cursorWarning({ source: 'kr', kind: 'feed', cursor: 3 })).toMatch(/is a feed/);
    expect(cursorWarning({ source: 'esg', kind: 'board', cursor: 3 })).toBeNull();
  });
});
