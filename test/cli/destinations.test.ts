import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisDestinationStore } from '../../adapters/redis/redis-destination-store.js';
import { RedisKeys } from '../../adapters/redis/redis-keys.js';
import {
  addDestination,
  listDestinations,
  removeDestination,
  setDigest,
  setQuiet,
  testDestination,
  type DestinationSummary,
} from '../../src/cli/destinations-command.js';
import { formatDestinations } from '../../src/cli/destinations-output.js';
import { DESTINATION_WORKSPACE } from '../../src/model/destination.js';
import type { ChannelRef } from '../../src/model/subscription.js';
import { TokenCipher } from '../../src/util/token-cipher.js';
import { FakeSignedWebhook } from '../support/fake-signed-webhook.js';
import { cliFixture, type CliFixture } from './cli-fixture.js';
import { runCli } from './run-cli.js';

const KEY = randomBytes(32).toString('hex');
const SOURCES = 'esg=https://k-esg.org/post me=https://me.go.kr/rss';
/** A Teams workflow URL as Power Automate gives it: its path and signature are the credential. */
const TEAMS_URL =
  'https://20.190.128.1/workflows/9f2c4e1ab7d34c55a1e0c2b4d6f8a0b1/triggers/manual/paths/invoke?api-version=1&sig=Zk3pQv7Xs9LmN2bR4tY6wE8uI0oA1sD3fG5hJ7kL9z';

/** What of the URLs and secrets above must never be printed. */
const URL_AND_SECRET_PARTS = [
  'sig=',
  'Zk3pQv7Xs9',
  '9f2c4e1ab7d34c55',
  'a-secret-typed',
  '/hooks/ops-hook',
];

let t: CliFixture;
let receiver: FakeSignedWebhook;
let env: Record<string, string>;

beforeEach(async () => {
  const config = {
    SOURCES,
    TOKEN_ENCRYPTION_KEY: KEY,
    ALLOW_PRIVATE_DESTINATIONS: 'true',
  };
  t = await cliFixture(config);
  env = { ...config, QUEUE_PREFIX: t.test.prefix };
  receiver = await new FakeSignedWebhook().start();
});

afterEach(async () => {
  await receiver.close();
  await t.cleanup();
});

const channel = (platform: 'webhook' | 'teams', name: string): ChannelRef => ({
  platform,
  workspaceId: DESTINATION_WORKSPACE,
  channelId: name,
});

describe('destinations add and test, from the command line', () => {
  it('adds a signed webhook, shows its new secret once, and the receiver verifies the test alert with it', async () => {
    const url = `${receiver.url}/hooks/n8n-esg`;
    const added = await runCli(
      ['destinations', 'add', 'webhook', url, '--name', 'n8n-esg', '--keywords', '탄소 -해외'],
      env,
    );
    expect(added).toMatchObject({ code: 0, stderr: '' });
    const secret = /^Signing secret: (whsec_\S+)$/m.exec(added.stdout)?.[1];
    expect(secret).toBeDefined();
    const host = new URL(receiver.url).host;
    expect(added.stdout).toBe(
      [
        `Added webhook:n8n-esg (${host}/…/…), following esg (keywords: 탄소 -해외).`,
        '',
        `Signing secret: ${secret}`,
        'It will not be shown again: give it to the receiver now to verify signatures.',
        '',
      ].join('\n'),
    );

    // The receiver is given the secret; the test alert must verify with it.
    receiver.endpoint('n8n-esg', secret);
    const tested = await runCli(['destinations', 'test', 'webhook:n8n-esg'], env);
    expect(tested).toMatchObject({ code: 0, stderr: '' });
    expect(tested.stdout).toBe('webhook:n8n-esg took the test alert: HTTP 204\n(empty body)\n');
    const [event] = receiver.eventsOf('n8n-esg');
    expect(event!.event['type']).toBe('destination.test');

    // Listed without the URL's path or the secret.
    const listed = await runCli(['destinations', 'list'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`webhook:n8n-esg\n  url          ${host}/…/… (signed)`);
    for (const run of [tested, listed]) expect(run.stdout).not.toContain(secret!);
  });

  it('says why a test alert was refused and exits 1', async () => {
    const { url, secret } = receiver.endpoint('gone');
    await addDestination(t.services, { platform: 'webhook', url, name: 'gone', secret });
    receiver.gone('gone', 410);
    const run = await runCli(['destinations', 'test', 'webhook:gone'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'error: webhook:gone did not take the test alert (permanent): the destination answered HTTP 410: {"error":"this endpoint was deleted"}\n',
    );
    expect(run.stdout).toBe('');
  });

  it('exits 2 when the destinations cannot be opened: the encryption key is not the configured one', async () => {
    const { url, secret } = receiver.endpoint('sealed');
    await addDestination(t.services, { platform: 'webhook', url, name: 'sealed', secret });
    const otherKey = randomBytes(32).toString('hex');
    const run = await runCli(['destinations', 'test', 'webhook:sealed'], {
      ...env,
      TOKEN_ENCRYPTION_KEY: otherKey,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'error: webhook:sealed did not take the test alert (unauthorized): TOKEN_ENCRYPTION_KEY does not open the stored destinations: it is not the key they were added with\n',
    );
    expect(receiver.requestsOf('sealed')).toEqual([]);
  });
});

describe('destinations list', () => {
  async function addBoth() {
    const hook = receiver.endpoint('ops-hook', 'a-secret-typed-by-the-operator');
    await addDestination(t.services, {
      platform: 'webhook',
      url: hook.url,
      name: 'ops-hook',
      secret: hook.secret,
      source: 'me',
    });
    await addDestination(t.services, {
      platform: 'teams',
      url: TEAMS_URL,
      name: 'esg-team',
      keywords: '"탄소 중립" 배출권',
    });
    // It follows a second source too, with every post.
    await addDestination(t.services, {
      platform: 'teams',
      url: TEAMS_URL,
      name: 'esg-team',
      source: 'me',
    });
  }

  it('shows each destination with what it follows, its schedule, last alert, problems and break', async () => {
    await addBoth();
    const team = channel('teams', 'esg-team');
    await setDigest(t.services, 'teams:esg-team', ['09:00', '18:00'], { weekdays: true });
    await setQuiet(t.services, 'teams:esg-team', '22:00-07:00');
    const at = new Date('2026-12-01T09:00:00Z');
    await t.services.deliveryLog.recordDelivered(
      { sourceId: 'esg', boardNo: 1700, channel: team },
      at,
    );
    await t.services.deliveryLog.recordUndeliverable(
      { sourceId: 'esg', boardNo: 1701, channel: team },
      'refused',
      'the destination answered HTTP 400: card rejected',
      new Date('2026-12-01T10:00:00Z'),
    );
    const store = new RedisDestinationStore(t.test.redis, new RedisKeys(t.test.prefix), null);
    await store.markBroken(
      team,
      'the destination answered HTTP 410',
      new Date('2026-12-02T00:00:00Z'),
    );

    const listed = await listDestinations(t.services);
    expect(listed.map((d) => d.destination)).toEqual(['teams:esg-team', 'webhook:ops-hook']);
    expect(listed[0]).toMatchObject({
      url: '20.190.128.1/…lows/…a0b1/…/…/…/…',
      signed: false,
      follows: [
        { source: 'esg', keywords: ['탄소 중립', '배출권'] },
        { source: 'me', keywords: [] },
      ],
      schedule: {
        digest: { times: ['09:00', '18:00'], weekdaysOnly: true },
        quiet: { start: '22:00', end: '07:00' },
      },
      lastAlert: { source: 'esg', number: 1700, at: at.toISOString() },
      refused: 1,
      givenUp: 0,
      broken: { since: '2026-12-02T00:00:00.000Z', reason: 'the destination answered HTTP 410' },
    } satisfies Partial<DestinationSummary>);
    expect(formatDestinations(listed).split('\n\n')[0]).toBe(
      [
        'teams:esg-team  BROKEN',
        '  url          20.190.128.1/…lows/…a0b1/…/…/…/…',
        '  follows      esg (keywords: "탄소 중립" 배출권), me',
        '  digest       09:00, 18:00 on weekdays (Korea time)',
        '  quiet hours  22:00–07:00 (Korea time)',
        '  last alert   esg #1700 at 2026-12-01T09:00:00Z',
        '  undelivered  1 refused, 0 given up',
        '  last problem refused esg #1701 at 2026-12-01T10:00:00Z: the destination answered HTTP 400: card rejected',
        '  BROKEN since 2026-12-02T00:00:00Z: the destination answered HTTP 410',
        '               alerts wait; fix it, then `destinations test teams:esg-team`',
      ].join('\n'),
    );
  });

  it('gives JSON with --json, and never a URL or a secret in any form', async () => {
    await addBoth();
    const runs = await Promise.all([
      runCli(['destinations', 'list'], env),
      runCli(['destinations', 'list', '--json'], env),
    ]);
    for (const run of runs) {
      expect(run).toMatchObject({ code: 0, stderr: '' });
      for (const secret of URL_AND_SECRET_PARTS) expect(run.stdout).not.toContain(secret);
    }
    const listed = JSON.parse(runs[1].stdout) as DestinationSummary[];
    expect(listed.map((d) => [d.destination, d.signed, d.follows.length])).toEqual([
      ['teams:esg-team', false, 2],
      ['webhook:ops-hook', true, 1],
    ]);
  });

  it('says how to add one when there is none', async () => {
    expect(formatDestinations(await listDestinations(t.services))).toBe(
      'No destinations: add one with `destinations add <platform> <url> --name <name>`.',
    );
  });
});

describe('destinations remove, digest and quiet', () => {
  it('removes a destination with its subscriptions and owed posts', async () => {
    await addDestination(t.services, { platform: 'teams', url: TEAMS_URL, name: 'esg-team' });
    const team = channel('teams', 'esg-team');
    await t.services.deliveryLog.markPending(
      [{ sourceId: 'esg', boardNo: 1702, channel: team }],
      new Date(),
    );

    const run = await runCli(['destinations', 'remove', 'teams:esg-team'], env);
    expect(run).toMatchObject({ code: 0, stdout: 'Removed teams:esg-team.\n', stderr: '' });
    expect(await listDestinations(t.services)).toEqual([]);
    expect(await t.services.subscriptions.get('esg', team)).toBeNull();
    expect(await t.services.deliveryLog.newestOwed('esg', team)).toBeNull();

    await expect(removeDestination(t.services, 'teams:esg-team')).rejects.toMatchObject({
      message: 'no destination teams:esg-team',
      exitCode: 2,
    });
  });

  it('sets and turns off a digest and quiet hours', async () => {
    await addDestination(t.services, { platform: 'teams', url: TEAMS_URL, name: 'esg-team' });
    const digest = await runCli(['destinations', 'digest', 'teams:esg-team', '9:00', '18:00'], env);
    expect(digest).toMatchObject({
      code: 0,
      stdout: 'teams:esg-team: digest 09:00, 18:00 every day (Korea time); quiet hours off.\n',
    });
    const quiet = await setQuiet(t.services, 'teams:esg-team', '22:00-07:00');
    expect(quiet).toEqual({
      destination: 'teams:esg-team',
      schedule: {
        digest: { times: ['09:00', '18:00'], weekdaysOnly: false },
        quiet: { start: '22:00', end: '07:00' },
      },
    });
    await setDigest(t.services, 'teams:esg-team', ['off'], { weekdays: true });
    const off = await setQuiet(t.services, 'teams:esg-team', 'off');
    expect(off.schedule).toEqual({ digest: null, quiet: null });
  });

  it('refuses times it cannot read, in English, with exit code 2', async () => {
    await addDestination(t.services, { platform: 'teams', url: TEAMS_URL, name: 'esg-team' });
    const digest = await runCli(['destinations', 'digest', 'teams:esg-team', '25:00'], env);
    expect(digest).toMatchObject({
      code: 2,
      stderr:
        'error: "25:00" is not a digest schedule: up to 6 times of day as HH:MM (Korea time, 24-hour), or off\n',
    });
    const many = ['1:00', '2:00', '3:00', '4:00', '5:00', '6:00', '7:00'];
    await expect(setDigest(t.services, 'teams:esg-team', many)).rejects.toMatchObject({
      exitCode: 2,
    });
    await expect(setQuiet(t.services, 'teams:esg-team', '09:00-09:00')).rejects.toMatchObject({
      message: expect.stringMatching(/^"09:00-09:00" is not quiet hours/) as unknown,
      exitCode: 2,
    });
    await expect(setQuiet(t.services, 'teams:nobody', '22:00-07:00')).rejects.toMatchObject({
      message: 'no destination teams:nobody',
      exitCode: 2,
    });
  });

  it('sends a removed destination nothing: its test says it is not there', async () => {
    await expect(testDestination(t.services, 'webhook:nobody')).rejects.toMatchObject({
      message: 'no destination webhook:nobody',
      exitCode: 2,
    });
    await expect(removeDestination(t.services, 'slack:C0123')).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('"slack" is not a destination platform') as unknown,
    });
  });
});

describe('a sealed store', () => {
  it('keeps the URL encrypted in Redis: not even its host is in the clear but the masked form', async () => {
    await addDestination(t.services, { platform: 'teams', url: TEAMS_URL, name: 'esg-team' });
    const stored = await t.test.redis.hgetall(new RedisKeys(t.test.prefix).destinations());
    expect(JSON.stringify(stored)).not.toContain('sig=');
    const cipher = new TokenCipher(Buffer.from(KEY, 'hex'));
    const store = new RedisDestinationStore(t.test.redis, new RedisKeys(t.test.prefix), cipher);
    expect(await store.secrets(channel('teams', 'esg-team'))).toEqual({
      url: TEAMS_URL,
      secret: null,
    });
  });
});
