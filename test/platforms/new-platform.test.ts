import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A new platform costs one registry entry, a config section and its adapter folder: this
 * adds an `echo` platform (alerts appended to a file) to a copy of the code, with nothing
 * else changed, and holds that the copy type-checks and that everything the rest of the bot
 * derives from the registry knows it.
 */
describe('a new platform, "echo", added to a copy of the code', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'echo-platform-'));
    for (const part of ['src', 'adapters', 'jobs', 'package.json']) {
      await cp(join(repo, part), join(dir, part), { recursive: true });
    }
    await symlink(join(repo, 'node_modules'), join(dir, 'node_modules'));
    await writeFile(
      join(dir, 'tsconfig.json'),
      (await readFile(join(repo, 'tsconfig.json'), 'utf8')).replace(
        /"include": \[[^\]]*\]/,
        '"include": ["src", "adapters", "jobs", "check-echo.ts"]',
      ),
    );
    // 1. The registry entry.
    const registryPath = join(dir, 'src/platforms/platform-registry.ts');
    const registry = await readFile(registryPath, 'utf8');
    await writeFile(
      registryPath,
      `import { echoSection } from '../config/config-echo.js';\n` +
        registry.replace(
          '  console: {',
          `  echo: {
    label: 'Echo',
    config: echoSection,
    tokenVariable: null,
    chat: false,
    destinations: false,
    editsInPlace: false,
    ids: {
      workspaceId: { pattern: /^[a-z]{1,20}$/, what: 'a word' },
      channelId: { pattern: /^[a-z]{1,20}$/, what: 'a word' },
    },
  },
  console: {`,
        ),
    );
    // 2. Its config section.
    await writeFile(
      join(dir, 'src/config/config-echo.ts'),
      `import { z } from 'zod';
import { platformSection } from './platform-section.js';
export const echoSection = platformSection({
  variables: { ECHO_FILE: z.string().optional() },
  read: (e): { file: string } | null => (e.ECHO_FILE ? { file: e.ECHO_FILE } : null),
  deliveryRate: () => 5,
});
`,
    );
    // 3. Its adapter folder.
    await mkdir(join(dir, 'adapters/echo'));
    await writeFile(
      join(dir, 'adapters/echo/platform.ts'),
      `import { appendFileSync } from 'node:fs';
import type { PlatformModule } from '../platform-module.js';
export const platform: PlatformModule<{ file: string }> = {
  open: ({ config }) =>
    Promise.resolve({
      notifier: {
        platform: 'echo',
        send: (channel, message) => {
          appendFileSync(config.file, \`\${channel.channelId}: \${message.title}\\n\`);
          return Promise.resolve(null);
        },
        sendDigest: () => Promise.resolve(),
        sendNotice: () => Promise.resolve(),
      },
    }),
};
`,
    );
    // What the rest of the bot makes of it, through its ordinary entry points.
    await writeFile(
      join(dir, 'check-echo.ts'),
      `import { readFileSync } from 'node:fs';
import { QUEUE_NAMES } from './jobs/queues.js';
import { channelPayloadPlatform } from './check-echo-payload.js';
import { parseChannelSpec, channelIdProblems } from './src/cli/channel-spec.js';
import { parseConfig } from './src/config/config.js';
import { openPlatforms } from './src/app/platforms.js';
import { deliveryRate, isPlatform } from './src/platforms/platform-registry.js';
import { tenantOf } from './src/model/tenant.js';

const file = process.argv[2]!;
const config = parseConfig({ ECHO_FILE: file });
const opened = await openPlatforms(config, {
  redis: undefined as never,
  keys: undefined as never,
  logger: undefined as never,
  options: {},
});
const echo = opened.get('echo')!;
await echo.notifier.send(
  { platform: 'echo', workspaceId: 'team', channelId: 'room' },
  { title: '탄소중립 보도자료' } as never,
  'key',
);
console.log(
  JSON.stringify({
    opened: [...opened.keys()],
    written: readFileSync(file, 'utf8'),
    isPlatform: isPlatform('echo'),
    spec: parseChannelSpec('echo:team/room'),
    badIds: channelIdProblems({ platform: 'echo', workspaceId: 'Team1', channelId: 'room' }),
    queue: QUEUE_NAMES.deliver('echo'),
    rate: deliveryRate('echo', config),
    tenant: tenantOf({ platform: 'echo', workspaceId: 'team', channelId: 'room' }),
    job: channelPayloadPlatform('echo'),
  }),
);
`,
    );
    await writeFile(
      join(dir, 'check-echo-payload.ts'),
      `import { deliverJobSchema } from './jobs/payloads.js';
export function channelPayloadPlatform(platform: string): string {
  return deliverJobSchema.parse({
    sourceId: 'esg',
    boardNo: 1,
    channel: { platform, workspaceId: 'team', channelId: 'room' },
  }).channel.platform;
}
`,
    );
  }, 60_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('type-checks with nothing else changed', async () => {
    const tsc = join(repo, 'node_modules/typescript/bin/tsc');
    await expect(
      run(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit'], { cwd: dir }),
    ).resolves.toBeDefined();
  }, 120_000);

  it('is known to the config, the CLI, job data, queues, tenants and the composition root', async () => {
    const file = join(dir, 'echo.log');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'check-echo.ts', file], {
      cwd: dir,
    });
    expect(JSON.parse(stdout)).toEqual({
      opened: ['echo', 'console'],
      written: 'room: 탄소중립 보도자료\n',
      isPlatform: true,
      spec: { platform: 'echo', workspaceId: 'team', channelId: 'room' },
      badIds: [{ field: 'workspaceId', message: 'is not a word' }],
      queue: 'deliver-echo',
      rate: 5,
      tenant: 'echo/team',
      job: 'echo',
    });
  }, 60_000);
});
