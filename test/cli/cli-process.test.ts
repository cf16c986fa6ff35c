import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteKeys } from '../support/redis.js';
import { cliFixture, type CliFixture } from './cli-fixture.js';
import { runCli } from './run-cli.js';

let t: CliFixture;
let dir: string;
let env: Record<string, string>;

beforeEach(async () => {
  const sources =
    'esg=https://k-esg.org/post kr=https://api.example.kr/rss?serviceKey=SECRET-VALUE';
  t = await cliFixture({ SOURCES: sources });
  env = { QUEUE_PREFIX: t.test.prefix, SOURCES: sources };
  dir = await mkdtemp(join(tmpdir(), 'esg-cli-'));
});

afterEach(async () => {
  await t.cleanup();
  await rm(dir, { recursive: true, force: true });
});

async function subscribe(source: string, channelId: string, keywords: string[] = []) {
  await t.services.subscriptions.subscribe(source, {
    platform: 'console',
    workspaceId: 'local',
    channelId,
    keywords,
    createdAt: '2026-11-01T09:00:00.000Z',
  });
}

describe('the esg-news-bot command', () => {
  it('exports, and after a wipe imports the same subscriptions, once', async () => {
    await subscribe('esg', 'ops', ['탄소', '-해외']);
    await subscribe('kr', 'ops');
    const file = join(dir, 'subscriptions.json');

    const exported = await runCli(['subscriptions', 'export', '--out', file], env);
    expect(exported).toMatchObject({ code: 0, stderr: '' });
    expect(exported.stdout).toBe(`Exported 2 subscriptions to ${file}.\n`);
    const document = JSON.parse(await readFile(file, 'utf8')) as { subscriptions: unknown[] };
    expect(document.subscriptions).toHaveLength(2);

    await deleteKeys(t.test.redis, `${t.test.prefix}:subscriptions:*`);
    const imported = await runCli(['subscriptions', 'import', file], env);
    expect(imported).toMatchObject({ code: 0, stderr: '' });
    expect(imported.stdout).toBe('Imported 2 subscriptions: 2 added, 0 updated, 0 unchanged.\n');

    // Again, from stdin, for a script: nothing changes.
    const again = await runCli(
      ['subscriptions', 'import', '-', '--json'],
      env,
      await readFile(file, 'utf8'),
    );
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, updated: 0, unchanged: 2 });

    const listed = await runCli(['subscriptions', 'export'], env);
    const after = JSON.parse(listed.stdout) as { subscriptions: unknown[] };
    expect(after.subscriptions).toEqual(document.subscriptions);
  });

  it('refuses a bad import with every problem on stderr and exit 1, importing nothing', async () => {
    const text = JSON.stringify({
      version: 1,
      subscriptions: [
        {
          source: 'esg',
          platform: 'console',
          workspaceId: 'local',
          channelId: 'a',
          keywords: [],
          createdAt: '2026-11-01T09:00:00.000Z',
        },
        {
          source: 'esg',
          platform: 'irc',
          workspaceId: 'local',
          channelId: 'b',
          keywords: [],
          createdAt: '2026-11-01T09:00:00.000Z',
        },
        {
          source: 'nope',
          platform: 'console',
          workspaceId: 'local',
          channelId: 'c',
          keywords: [],
          createdAt: '2026-11-01T09:00:00.000Z',
        },
      ],
    });

    const run = await runCli(['subscriptions', 'import', '-', '--json'], env, text);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: nothing was imported: 2 problems found\n/);
    expect(run.stderr).toContain('  subscriptions[1].platform: ');
    expect(run.stderr).toContain('  subscriptions[2]: unknown source "nope" (known: esg, kr)');
    expect(JSON.parse(run.stdout)).toMatchObject({
      error: 'invalid',
      problems: [{ index: 1, field: 'platform' }, { index: 2 }],
    });
    expect(await t.test.redis.exists(`${t.test.prefix}:subscriptions:esg`)).toBe(0);
  });

  it('refuses a file or stdin larger than 10 MiB without reading it whole', async () => {
    const file = join(dir, 'huge.json');
    // 11 MiB of JSON: were it parsed, it would fail for another reason.
    await writeFile(file, `[${'0,'.repeat(5.5 * 1024 * 1024)}0]`);
    const run = await runCli(['subscriptions', 'import', file], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `error: nothing was imported: 1 problem found\n  the file is larger than 10 MiB (more than ${10 * 1024 * 1024} bytes): not a subscriptions export\n`,
    );

    const piped = await runCli(['subscriptions', 'import', '-'], env, ' '.repeat(11 * 1024 * 1024));
    expect(piped.code).toBe(1);
    expect(piped.stderr).toMatch(/the file is larger than 10 MiB/);
  });

  it('lists sources as JSON without the secrets of their URLs', async () => {
    const run = await runCli(['sources', '--json'], env);

    expect(run).toMatchObject({ code: 0, stderr: '' });
    const sources = JSON.parse(run.stdout) as Array<{ name: string; url: string }>;
    expect(sources.map((s) => [s.name, s.url])).toEqual([
      ['esg', 'https://k-esg.org/post'],
      ['kr', 'https://api.example.kr/rss?serviceKey=***'],
    ]);
    expect(run.stdout).not.toContain('SECRET-VALUE');
  });

  it('sets and reads a cursor, and says clearly what is wrong with a bad request', async () => {
    expect(await runCli(['cursor', 'set', 'esg', '1650'], env)).toMatchObject({
      code: 0,
      stdout: 'esg: cursor not set → 1650; the next poll announces what is above it\n',
    });
    const read = await runCli(['--json', 'cursor', 'get', 'esg'], env);
    expect(JSON.parse(read.stdout)).toEqual({ source: 'esg', kind: null, cursor: 1650 });

    const notANumber = await runCli(['cursor', 'set', 'esg', '16.5'], env);
    expect(notANumber.code).toBe(2);
    expect(notANumber.stderr).toMatch(/invalid for argument 'n'\. must be a non-negative integer/);
    const unknown = await runCli(['cursor', 'get', 'nope'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: unknown source "nope"/);
    expect((await runCli(['bogus'], env)).code).toBe(2);
  });

  it('prints queue counts as JSON, and exits 2 on a bad configuration and 1 without Redis', async () => {
    const queues = await runCli(['queues', '--json'], env);
    expect(queues.code).toBe(0);
    expect(JSON.parse(queues.stdout)).toHaveLength(12);

    const badConfig = await runCli(['queues'], { ...env, QUEUE_PREFIX: 'has:colon' });
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toMatch(/^Invalid configuration:\n {2}- QUEUE_PREFIX: /);

    const noRedis = await runCli(['queues'], { ...env, REDIS_URL: 'redis://127.0.0.1:1' });
    expect(noRedis.code).toBe(1);
    expect(noRedis.stderr).toMatch(/^error: cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
  });
});
