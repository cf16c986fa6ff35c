import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { buildCliServices } from '../../src/app/cli-services.js';
import { CliError } from '../../src/cli/cli-output.js';
import {
  addDestination,
  listDestinations,
  testDestination,
  type AddDestinationRequest,
} from '../../src/cli/destinations-command.js';
import { parseConfig } from '../../src/config/config.js';
import { TEST_REDIS_URL } from '../support/redis.js';
import { cliFixture, type CliFixture } from './cli-fixture.js';
import { runCli } from './run-cli.js';

const SOURCES = 'esg=https://k-esg.org/post';
const KEYED = { SOURCES, TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex') };
/** Its path is the credential: no refusal may repeat it. */
const PATH_SECRET = 'IncomingWebhook-7Yq2Lp9Xc4Vb8Nm3Kd6Sf1Hg5Jt0Rw';
const PUBLIC_URL = `https://20.190.128.1/webhookb2/${PATH_SECRET}`;
const SECRET = 'whsec_c2VjcmV0LXRoYXQtbXVzdC1uZXZlci1iZS1wcmludGVk';

let t: CliFixture | undefined;

afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

/** The refusal of `request`: a CliError with exit code 2 that repeats no URL and no secret. */
async function refusal(request: Partial<AddDestinationRequest>): Promise<string> {
  const error = await addDestination(t!.services, {
    platform: 'webhook',
    url: PUBLIC_URL,
    name: 'hook',
    ...request,
  }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliError);
  expect((error as CliError).exitCode).toBe(2);
  const { message } = error as CliError;
  for (const secret of [PATH_SECRET, 'c2VjcmV0', 'pass-word-1', request.secret ?? SECRET]) {
    expect(message).not.toContain(secret);
  }
  return message;
}

describe('destinations add refuses', () => {
  it('a URL that is not https, or not on a public address, unless private destinations are allowed', async () => {
    t = await cliFixture(KEYED);
    expect(await refusal({ url: `http://20.190.128.1/webhookb2/${PATH_SECRET}` })).toBe(
      'the URL must be an https URL (ALLOW_PRIVATE_DESTINATIONS=true accepts http for local relays)',
    );
    expect(await refusal({ url: `https://127.0.0.1:8443/${PATH_SECRET}` })).toBe(
      'the URL points at 127.0.0.1, which is not a public address (ALLOW_PRIVATE_DESTINATIONS=true accepts it)',
    );
    expect(await refusal({ url: `https://[::ffff:10.0.0.7]/${PATH_SECRET}` })).toMatch(
      /not a public address/,
    );
    expect(await refusal({ url: `https://bot:pass-word-1@20.190.128.1/${PATH_SECRET}` })).toBe(
      'the URL must not carry a user name or password',
    );
    expect(await refusal({ url: 'not a url' })).toBe('the URL is not a URL');
    expect(await listDestinations(t.services)).toEqual([]);
  });

  it('a bad name, an unknown platform or source, unreadable keywords and misplaced or weak secrets', async () => {
    t = await cliFixture(KEYED);
    expect(await refusal({ name: 'Ops Hook' })).toMatch(/^"Ops Hook" is not a destination name/);
    expect(await refusal({ platform: 'slack' })).toBe(
      '"slack" is not a destination platform: one of teams, jandi, dooray, webhook',
    );
    expect(await refusal({ source: 'nope' })).toBe('no source is called "nope"');
    expect(await refusal({ keywords: '"탄소 중립' })).toMatch(/^the keywords cannot be read/);
    expect(await refusal({ platform: 'teams', secret: SECRET })).toBe(
      'Microsoft Teams signs nothing: --secret is for webhook destinations',
    );
    expect(await refusal({ secret: 'short-secret' })).toBe(
      'the secret must be at least 16 characters',
    );
    expect(await refusal({ secret: `whsec_${'x'.repeat(30)}!` })).toMatch(/must be padded base64/);
    expect(await refusal({ secret: SECRET.slice(0, 30) })).toMatch(/24 to 64 bytes/);
    expect(await listDestinations(t.services)).toEqual([]);
  });

  it('everything when TOKEN_ENCRYPTION_KEY is not set: URLs are never kept in the clear', async () => {
    t = await cliFixture({ SOURCES, ALLOW_PRIVATE_DESTINATIONS: 'true' });
    // The key is what to fix first, whatever the URL.
    expect(await refusal({ url: `http://127.0.0.1/${PATH_SECRET}` })).toMatch(
      /^TOKEN_ENCRYPTION_KEY is not set/,
    );
    expect(await refusal({})).toBe(
      'TOKEN_ENCRYPTION_KEY is not set: webhook destinations are kept encrypted with it (make one with `openssl rand -hex 32`)',
    );
    // Nothing written but the queues' own metadata: no destination, no subscription.
    const keys = await t.test.redis.keys(`${t.test.prefix}:*`);
    expect(keys.filter((key) => !key.endsWith(':meta'))).toEqual([]);
  });
});

describe('from the command line', () => {
  it('prints one line on stderr and exits 2, echoing neither URL nor secret', async () => {
    t = await cliFixture(KEYED);
    const env = { QUEUE_PREFIX: t.test.prefix };
    const [insecure, unkeyed, unnamed] = await Promise.all([
      runCli(
        ['destinations', 'add', 'webhook', PUBLIC_URL.replace('https', 'http'), '--name', 'hook'],
        { ...env, ...KEYED },
      ),
      runCli(['destinations', 'add', 'webhook', PUBLIC_URL, '--name', 'hook', '--secret', SECRET], {
        ...env,
        SOURCES,
      }),
      runCli(['destinations', 'add', 'teams', PUBLIC_URL], { ...env, ...KEYED }),
    ]);
    expect(insecure).toMatchObject({
      code: 2,
      stdout: '',
      stderr:
        'error: the URL must be an https URL (ALLOW_PRIVATE_DESTINATIONS=true accepts http for local relays)\n',
    });
    expect(unkeyed).toMatchObject({ code: 2, stdout: '' });
    expect(unkeyed.stderr).toMatch(/^error: TOKEN_ENCRYPTION_KEY is not set/);
    // Commander's own refusal: the option is required.
    expect(unnamed.code).toBe(2);
    expect(unnamed.stderr).toContain("required option '--name <name>' not specified");
    for (const run of [insecure, unkeyed, unnamed]) {
      for (const secret of [PATH_SECRET, SECRET])
        expect(run.stderr + run.stdout).not.toContain(secret);
    }
  });

  it('cannot test a destination without the key: exit 2, and nothing is sent', async () => {
    t = await cliFixture({ ...KEYED, ALLOW_PRIVATE_DESTINATIONS: 'true' });
    await addDestination(t.services, {
      platform: 'webhook',
      url: 'http://127.0.0.1:9/never-reached',
      name: 'hook',
    });
    const unkeyed = buildCliServices(
      t.test.redis,
      parseConfig({ SOURCES, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: t.test.prefix }),
    );
    try {
      const error = await testDestination(unkeyed, 'webhook:hook').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).exitCode).toBe(2);
      expect((error as CliError).message).toMatch(
        /^webhook:hook did not take the test alert \(unauthorized\): TOKEN_ENCRYPTION_KEY is not set/,
      );
    } finally {
      await unkeyed.close();
    }
  });
});
