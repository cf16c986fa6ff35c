import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

// The repository's own eslint.config.js, with two changes that leave the architecture rules as
// configured: planted snippets exist only in memory, so they are parsed without type
// information (TypeScript's project service has no program for them), and only the
// architecture rules run, so a snippet is judged on its imports alone.
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: [{ files: ['**/__planted__/**'], ...tseslint.configs.disableTypeChecked }],
  ruleFilter: ({ ruleId }) => ruleId.startsWith('architecture/'),
});

/** The rule of each problem ESLint reports for `code` planted at `file` (a parse error is `null`). */
async function rulesBroken(file: string, code: string): Promise<Array<string | null>> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).map((message) => message.ruleId);
}

const CORE = 'architecture/core-imports-no-adapter-or-job';
const CROSS_PLATFORM = 'architecture/no-cross-platform-import';
const JOBS = 'architecture/jobs-import-no-platform';
const LIBRARY = 'architecture/platform-library-in-its-adapter';

describe('the architecture rules of eslint.config.js', () => {
  it.each([
    [
      'an import',
      `import { RedisKeys } from '../../adapters/redis/redis-keys.js';\nvoid RedisKeys;`,
    ],
    [
      'an import type',
      `import type { QueueSet } from '../../jobs/queues.js';\nexport type Q = QueueSet;`,
    ],
    ['an export from', `export * from '../../adapters/sources/url-source.js';`],
    [
      'an import() of a string',
      `export const load = () => import('../../adapters/slack/slack-notifier.js');`,
    ],
    [
      'an import() of a template',
      'export const load = () => import(`../../adapters/slack/slack-notifier.js`);',
    ],
    [
      'an import() of a template with a placeholder',
      'export const load = (name: string) => import(`../../adapters/${name}/notifier.js`);',
    ],
    [
      'an import type expression',
      `export type Lock = import('../../adapters/redis/redis-lock.js').RedisLock;`,
    ],
  ])('refuses, in the core, %s of an adapter or a job', async (_form, code) => {
    expect(await rulesBroken('src/__planted__/core.ts', code)).toEqual([CORE]);
  });

  it('counts src/cli/ as core: only src/cli.ts is an entry point', async () => {
    const code = `import { QUEUE_NAMES } from '../../../jobs/queues.js';\nvoid QUEUE_NAMES;`;
    expect(await rulesBroken('src/cli/__planted__/command.ts', code)).toEqual([CORE]);
  });

  it("refuses a platform adapter importing another platform's, statically or lazily", async () => {
    const fromSlack = `import { embed } from '../../discord/discord-format.js';\nvoid embed;`;
    expect(await rulesBroken('adapters/slack/__planted__/cross.ts', fromSlack)).toEqual([
      CROSS_PLATFORM,
    ]);
    // console/ is a platform because it is a folder of adapters/ that is not a shared one.
    const fromConsole = 'export const load = () => import(`../../slack/slack-notifier.js`);';
    expect(await rulesBroken('adapters/console/__planted__/cross.ts', fromConsole)).toEqual([
      CROSS_PLATFORM,
    ]);
  });

  it('refuses jobs/ importing a platform adapter, statically or lazily', async () => {
    const code = [
      `import type { DiscordNotifier } from '../../adapters/discord/discord-notifier.js';`,
      `export type N = DiscordNotifier;`,
      `export const load = () => import('../../adapters/slack/slack-notifier.js');`,
    ].join('\n');
    expect(await rulesBroken('jobs/__planted__/worker.ts', code)).toEqual([JOBS, JOBS]);
  });

  it("refuses a platform's SDK outside that platform's adapter folder", async () => {
    const inCore = `import { App } from '@slack/bolt';\nvoid App;`;
    expect(await rulesBroken('src/__planted__/sdk.ts', inCore)).toEqual([LIBRARY]);
    const inSlack = `import { Client } from 'discord.js';\nvoid Client;`;
    expect(await rulesBroken('adapters/slack/__planted__/sdk.ts', inSlack)).toEqual([LIBRARY]);
    const inRedis = `import type { InstallationStore } from '@slack/oauth';\nexport type S = InstallationStore;`;
    expect(await rulesBroken('adapters/redis/__planted__/sdk.ts', inRedis)).toEqual([LIBRARY]);
    const inJobs = `export const load = () => import('@discordjs/rest');`;
    expect(await rulesBroken('jobs/__planted__/sdk.ts', inJobs)).toEqual([LIBRARY]);
  });

  it('allows the composition root to import adapters and jobs, statically and lazily', async () => {
    const code = [
      `import { QUEUE_NAMES } from '../../../jobs/queues.js';`,
      `import { RedisKeys } from '../../../adapters/redis/redis-keys.js';`,
      `void QUEUE_NAMES, RedisKeys;`,
      `export const slack = () => import('../../../adapters/slack/slack-notifier.js');`,
      'export const discord = () => import(`../../../adapters/discord/discord-notifier.js`);',
    ].join('\n');
    expect(await rulesBroken('src/app/__planted__/wiring.ts', code)).toEqual([]);
  });

  it('allows a platform adapter its own SDK, the shared adapters and the core', async () => {
    const code = [
      `import type { WebClient } from '@slack/web-api';`,
      `import type { RedisKeys } from '../../redis/redis-keys.js';`,
      `import type { Notifier } from '../../../src/ports/notifier.js';`,
      `export type T = [WebClient, RedisKeys, Notifier];`,
    ].join('\n');
    expect(await rulesBroken('adapters/slack/__planted__/own.ts', code)).toEqual([]);
  });

  it('allows jobs/ the shared adapters, and tests anything', async () => {
    const inJobs = `import type { RedisClient } from '../../adapters/redis/redis-connection.js';\nexport type R = RedisClient;`;
    expect(await rulesBroken('jobs/__planted__/queue.ts', inJobs)).toEqual([]);
    const inTest = [
      `import { App } from '@slack/bolt';`,
      `import { DiscordNotifier } from '../../adapters/discord/discord-notifier.js';`,
      `void App, DiscordNotifier;`,
    ].join('\n');
    expect(await rulesBroken('test/__planted__/anything.ts', inTest)).toEqual([]);
  });
});

/** Runs a command in the repository, answering its exit code and everything it printed. */
function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('npm run lint:cycles', () => {
  it('fails on a cycle of two files that import only types from each other', async () => {
    const dir = mkdtempSync(path.join(ROOT, 'src', '__planted-cycle-'));
    try {
      writeFileSync(
        path.join(dir, 'first.ts'),
        `import type { Second } from './second.js';\nexport interface First { second?: Second }\n`,
      );
      writeFileSync(
        path.join(dir, 'second.ts'),
        `import type { First } from './first.js';\nexport interface Second { first?: First }\n`,
      );
      const { code, output } = await run('npm', ['run', '--silent', 'lint:cycles']);
      const planted = path.relative(ROOT, dir);
      const cycle = output
        .split('\n')
        .find(
          (line) => line.includes(`${planted}/first.ts`) && line.includes(`${planted}/second.ts`),
        );
      expect(cycle, output).toBeDefined();
      expect(code).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
