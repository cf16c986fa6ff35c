import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  exportSubscriptions,
  listSubscriptions,
  type SubscriptionEntry,
} from '../../src/cli/subscriptions-command.js';
import {
  importSubscriptions,
  ImportRejectedError,
  MAX_IMPORT_BYTES,
  type ImportProblem,
} from '../../src/cli/subscriptions-import.js';
import type { Platform } from '../../src/platforms/platform-registry.js';
import { deleteKeys } from '../support/redis.js';
import { cliFixture, type CliFixture } from './cli-fixture.js';

let t: CliFixture;

beforeEach(async () => {
  t = await cliFixture({
    SOURCES: 'esg=https://k-esg.org/post me=https://me.go.kr/rss',
  });
});

afterEach(async () => {
  await t.cleanup();
});

async function subscribe(
  source: string,
  platform: Platform,
  channelId: string,
  keywords: string[] = [],
  workspaceId = 'T1',
): Promise<void> {
  await t.services.subscriptions.subscribe(source, {
    platform,
    workspaceId,
    channelId,
    keywords,
    createdAt: '2026-11-01T09:00:00.000Z',
  });
}

/** Deletes every subscription, as a lost or new Redis would have none. */
async function wipeSubscriptions(): Promise<void> {
  await deleteKeys(t.test.redis, `${t.test.prefix}:subscriptions:*`);
}

function entry(overrides: Partial<SubscriptionEntry> = {}): SubscriptionEntry {
  return {
    source: 'esg',
    platform: 'slack',
    workspaceId: 'T1',
    channelId: 'C1',
    keywords: [],
    createdAt: '2026-11-01T09:00:00.000Z',
    ...overrides,
  };
}

function file(entries: unknown[]): string {
  return JSON.stringify({
    version: 1,
    exportedAt: new Date().toISOString(),
    subscriptions: entries,
  });
}

async function problemsOf(promise: Promise<unknown>): Promise<ImportProblem[]> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportRejectedError);
  return (error as ImportRejectedError).problems;
}

describe('subscriptions export and import', () => {
  it('export → wipe → import gives the same subscriptions', async () => {
    await subscribe('esg', 'slack', 'C1', ['탄소', '탄소 중립', '-해외']);
    await subscribe('esg', 'discord', '1234567890123456789', [], '987654321098765432');
    await subscribe('esg', 'discord', '1234567890123456788', [], 'dm');
    await subscribe('me', 'slack', 'C1');
    await subscribe('esg', 'console', 'console', [], 'local');
    const before = await exportSubscriptions(t.services);
    expect(before.version).toBe(1);
    expect(before.subscriptions).toHaveLength(5);

    await wipeSubscriptions();
    expect(await listSubscriptions(t.services)).toEqual([]);

    const result = await importSubscriptions(t.services, JSON.stringify(before));
    expect(result).toMatchObject({ total: 5, added: 5, updated: 0, unchanged: 0 });
    const after = await exportSubscriptions(t.services);
    expect(after.subscriptions).toEqual(before.subscriptions);
    expect(
      await t.services.subscriptions.get('esg', {
        platform: 'slack',
        workspaceId: 'T1',
        channelId: 'C1',
      }),
    ).toEqual({
      platform: 'slack',
      workspaceId: 'T1',
      channelId: 'C1',
      keywords: ['탄소', '탄소 중립', '-해외'],
      createdAt: '2026-11-01T09:00:00.000Z',
    });
  });

  it('changes nothing when the same file is imported twice, and updates what differs', async () => {
    const text = file([entry(), entry({ channelId: 'C2', keywords: ['ESG'] })]);
    expect(await importSubscriptions(t.services, text)).toMatchObject({ added: 2 });
    expect(await importSubscriptions(t.services, text)).toMatchObject({
      total: 2,
      added: 0,
      updated: 0,
      unchanged: 2,
    });

    const edited = file([entry(), entry({ channelId: 'C2', keywords: ['ESG', '-해외'] })]);
    expect(await importSubscriptions(t.services, edited)).toMatchObject({
      added: 0,
      updated: 1,
      unchanged: 1,
    });
    const [, second] = await listSubscriptions(t.services);
    expect(second?.keywords).toEqual(['ESG', '-해외']);
  });

  it('keeps subscriptions the file does not name', async () => {
    await subscribe('me', 'slack', 'C9');
    await importSubscriptions(t.services, file([entry()]));
    expect((await listSubscriptions(t.services)).map((s) => `${s.source} ${s.channelId}`)).toEqual([
      'esg C1',
      'me C9',
    ]);
  });

  it('refuses a file with bad entries, naming each by index and reason, and writes nothing', async () => {
    const text = file([
      entry(),
      entry({ channelId: 'C2', platform: 'kakaowork' as Platform }),
      entry({ channelId: 'C3', source: 'nowhere' }),
      entry(),
      entry({ channelId: 'C4', keywords: ['탄소', '-탄소'] }),
      entry({ channelId: 'C5', createdAt: 'yesterday' }),
      entry({ channelId: 'C6', keywords: ['-'] }),
      'not an object',
    ]);
    const problems = await problemsOf(importSubscriptions(t.services, text));

    expect(problems.map((p) => [p.index, p.field ?? null])).toEqual([
      [1, 'platform'],
      [2, null],
      [3, null],
      [4, 'keywords'],
      [5, 'createdAt'],
      [6, 'keywords[0]'],
      [7, null],
    ]);
    expect(problems[1]?.message).toMatch(/unknown source "nowhere" \(known: esg, me\)/);
    expect(problems[2]?.message).toMatch(/first at subscriptions\[0\]/);
    expect(problems[3]?.message).toMatch(/"탄소" is both wanted and excluded/);
    expect(await listSubscriptions(t.services)).toEqual([]);
  });

  it("refuses ids not of their platform's shape, naming the entry and the field", async () => {
    const discord = { platform: 'discord' as const, workspaceId: '987654321098765432' };
    const text = file([
      entry({ workspaceId: 'E0ENTERPRISE1', channelId: 'G0PRIVATE' }),
      entry({ workspaceId: 't1', channelId: 'C2' }),
      entry({ channelId: 'X123' }),
      entry({ channelId: 'C-1' }),
      entry({ ...discord, channelId: '1234567890123456789' }),
      entry({ ...discord, channelId: '1234' }),
      entry({ ...discord, workspaceId: 'T1', channelId: '12345678901234567890' }),
      entry({ platform: 'console', workspaceId: 'ops team', channelId: 'news' }),
      entry({ platform: 'console', workspaceId: 'ops-team', channelId: 'x'.repeat(65) }),
      entry({ platform: 'console', workspaceId: 'local', channelId: '' }),
      entry({ workspaceId: 'T1', channelId: 'C1\u200b' }),
    ]);
    const problems = await problemsOf(importSubscriptions(t.services, text));

    expect(problems.map((p) => [p.index, p.field])).toEqual([
      [1, 'workspaceId'],
      [2, 'channelId'],
      [3, 'channelId'],
      [5, 'channelId'],
      [6, 'workspaceId'],
      [7, 'workspaceId'],
      [8, 'channelId'],
      [9, 'channelId'],
      [10, 'channelId'],
    ]);
    expect(problems[0]?.message).toBe(
      'is not a Slack team id (T… or E…: upper-case letters and digits)',
    );
    expect(problems[2]?.message).toBe(
      'is not a Slack channel id (C…, G… or D…: upper-case letters and digits)',
    );
    expect(problems[3]?.message).toBe('is not a Discord channel id (17–20 digits)');
    expect(problems[4]?.message).toBe('is not a Discord server id (17–20 digits) or dm');
    expect(problems[5]?.message).toBe('is not a console name (1–64 letters, digits, _ . or -)');
    await expect(importSubscriptions(t.services, text)).rejects.toThrow(
      /subscriptions\[1\]\.workspaceId: is not a Slack team id/,
    );
    expect(await listSubscriptions(t.services)).toEqual([]);
  });

  it('refuses a file larger than 10 MiB before parsing it', async () => {
    // Valid JSON, and an export in every other way: only its size refuses it.
    const padding = ' '.repeat(MAX_IMPORT_BYTES);
    const problems = await problemsOf(
      importSubscriptions(t.services, `${file([entry()])}${padding}`),
    );
    expect(problems).toEqual([
      {
        index: null,
        message: `the file is larger than 10 MiB (${MAX_IMPORT_BYTES + file([entry()]).length} bytes): not a subscriptions export`,
      },
    ]);
    expect(await listSubscriptions(t.services)).toEqual([]);
    // Bytes, not characters: Korean text takes three bytes a character.
    const korean = '가'.repeat(Math.ceil(MAX_IMPORT_BYTES / 3));
    const big = await problemsOf(importSubscriptions(t.services, `${file([entry()])}${korean}`));
    expect(big[0]?.message).toMatch(/^the file is larger than 10 MiB/);
    // Just under the limit is read.
    const fits = `${file([entry()])}${' '.repeat(MAX_IMPORT_BYTES - file([entry()]).length)}`;
    expect(await importSubscriptions(t.services, fits)).toMatchObject({ added: 1 });
  });

  it('refuses entries that would take a channel past 10 sources', async () => {
    const names = Array.from({ length: 11 }, (_, i) => `s${i + 1}`);
    await t.cleanup();
    t = await cliFixture({ SOURCES: names.map((n) => `${n}=https://example.org/${n}`).join(' ') });
    for (const name of names.slice(0, 9)) await subscribe(name, 'slack', 'C1');

    const text = file([
      entry({ source: 's1', keywords: ['ESG'] }),
      entry({ source: 's10' }),
      entry({ source: 's11' }),
      entry({ source: 's11', channelId: 'C2' }),
    ]);
    const problems = await problemsOf(importSubscriptions(t.services, text));

    expect(problems).toEqual([
      {
        index: 2,
        message: 'slack:T1/C1 would follow more than 10 sources (it follows 9 here)',
      },
    ]);
    expect(await listSubscriptions(t.services, 's10')).toEqual([]);
  });

  it('refuses what is not an export of this version', async () => {
    expect(await problemsOf(importSubscriptions(t.services, '{"version": 1'))).toEqual([
      { index: null, message: expect.stringMatching(/^the file is not JSON/) as string },
    ]);
    expect(await problemsOf(importSubscriptions(t.services, file([]).replace('1', '2')))).toEqual([
      { index: null, message: 'version 2 is not one this release reads (1)' },
    ]);
    const [problem] = await problemsOf(importSubscriptions(t.services, '{"version": 1}'));
    expect(problem?.message).toMatch(/^not a subscriptions export: subscriptions/);
  });

  it('counts what a dry run would do and writes nothing', async () => {
    await subscribe('esg', 'slack', 'C1');
    const result = await importSubscriptions(
      t.services,
      file([entry(), entry({ channelId: 'C2' })]),
      { dryRun: true },
    );
    expect(result).toMatchObject({ dryRun: true, added: 1, unchanged: 1 });
    expect(await listSubscriptions(t.services)).toHaveLength(1);
  });

  it('warns about subscriptions of a platform this configuration does not deliver to', async () => {
    const result = await importSubscriptions(t.services, file([entry()]));
    expect(result.warnings).toEqual([
      '1 subscription(s) of slack channels: slack is not configured here, so they get no alerts until it is',
    ]);
  });
});
