import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DestinationNotifier } from '../../../adapters/destinations/destination-notifier.js';
import { WEBHOOK_EVENT_TYPES } from '../../../adapters/webhook/webhook-event.js';
import { webhookFormat } from '../../../adapters/webhook/webhook-format.js';
import { DESTINATION_WORKSPACE } from '../../../src/model/destination.js';
import type { ChannelRef } from '../../../src/model/subscription.js';
import { MemoryDestinationStore } from '../../doubles/memory-destination-store.js';
import { FakeSignedWebhook, type ReceivedEvent } from '../../support/fake-signed-webhook.js';
import { describeNeeding } from '../../support/requirements.js';

/**
 * The README's "Signed webhooks" section, held to what the bot sends: its verification code
 * (Node.js and Python, run as a receiver would copy them) accepts real deliveries and refuses
 * forged, altered and old ones, and its example and field table name every field the events have.
 */

type Verify = (
  secret: string,
  headers: Record<string, string>,
  body: string,
  now?: number,
) => boolean;

interface Delivery {
  secret: string;
  headers: Record<string, string>;
  body: string;
  /** The receiver's clock when it arrived, in ms. */
  at: number;
}

/** A case for a verifier and what it must say. */
interface Case {
  name: string;
  delivery: Delivery;
  valid: boolean;
}

let section: string;
let deliveries: { standard: Delivery; typed: Delivery; events: ReceivedEvent[] };

beforeAll(async () => {
  const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('\n## Signed webhooks\n');
  expect(start, 'README has a "Signed webhooks" section').toBeGreaterThan(0);
  section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  deliveries = await realDeliveries();
});

/** What the real notifier sends: an alert to a `whsec_` secret, one to a typed secret, and more. */
async function realDeliveries() {
  const receiver = await new FakeSignedWebhook().start();
  try {
    const store = new MemoryDestinationStore();
    const notifier = new DestinationNotifier({
      platform: 'webhook',
      format: webhookFormat,
      store,
      timeoutMs: 5_000,
      allowPrivate: true,
    });
    const add = async (name: string, secret?: string) => {
      const endpoint = receiver.endpoint(name, secret);
      const channel: ChannelRef = {
        platform: 'webhook',
        workspaceId: DESTINATION_WORKSPACE,
        channelId: name,
      };
      await store.put(channel, endpoint, new Date());
      return channel;
    };
    const standard = await add('standard');
    const typed = await add('typed', 'a secret typed into n8n, 한글도');
    await notifier.test(standard);
    await notifier.test(typed);
    const delivery = (name: string, secret: string): Delivery => {
      const [received] = receiver.eventsOf(name);
      return {
        secret,
        headers: Object.fromEntries(
          Object.entries(received!.headers).map(([key, value]) => [key, String(value)]),
        ),
        body: received!.rawBody,
        at: received!.at,
      };
    };
    const standardSecret = (await store.secrets(standard))!.secret!;
    return {
      standard: delivery('standard', standardSecret),
      typed: delivery('typed', 'a secret typed into n8n, 한글도'),
      events: receiver.events,
    };
  } finally {
    await receiver.close();
  }
}

function cases(): Case[] {
  const { standard, typed } = deliveries;
  const signature = standard.headers['webhook-signature']!;
  return [
    { name: 'a real delivery', delivery: standard, valid: true },
    { name: 'a delivery signed with a typed secret', delivery: typed, valid: true },
    {
      name: 'a list with an unknown scheme first',
      delivery: {
        ...standard,
        headers: { ...standard.headers, 'webhook-signature': `v1a,AAAA ${signature}` },
      },
      valid: true,
    },
    {
      name: 'an altered body',
      delivery: { ...standard, body: standard.body.replace('"version":1', '"version":2') },
      valid: false,
    },
    {
      name: 'another id',
      delivery: { ...standard, headers: { ...standard.headers, 'webhook-id': 'other' } },
      valid: false,
    },
    { name: 'the wrong secret', delivery: { ...standard, secret: typed.secret }, valid: false },
    {
      name: 'six minutes later',
      delivery: { ...standard, at: standard.at + 360_000 },
      valid: false,
    },
    {
      name: 'six minutes early',
      delivery: { ...standard, at: standard.at - 360_000 },
      valid: false,
    },
    {
      name: 'four minutes later',
      delivery: { ...standard, at: standard.at + 240_000 },
      valid: true,
    },
    {
      name: 'no signature',
      delivery: {
        ...standard,
        headers: { ...standard.headers, 'webhook-signature': '' },
      },
      valid: false,
    },
  ];
}

function codeBlock(language: string): string {
  const match = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(section);
  expect(match, `a ${language} block in "Signed webhooks"`).not.toBeNull();
  return match![1]!;
}

describe('the README’s Node.js verification', () => {
  let dir: string;
  let verify: Verify;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esg-readme-'));
    const file = join(dir, 'verify.mjs');
    await writeFile(file, codeBlock('js'));
    ({ verifyEsgWebhook: verify } = (await import(pathToFileURL(file).href)) as {
      verifyEsgWebhook: Verify;
    });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('accepts what the bot sends and refuses what was forged, altered or replayed late', () => {
    for (const { name, delivery, valid } of cases()) {
      expect(verify(delivery.secret, delivery.headers, delivery.body, delivery.at), name).toBe(
        valid,
      );
    }
  });
});

const python = spawnSync('python3', ['-c', 'import sys; assert sys.version_info >= (3, 10)']);

describeNeeding(
  {
    env: 'REQUIRE_PYTHON',
    available: python.status === 0,
    missing: 'no python3 ≥ 3.10 (apt-get install python3)',
  },
  'the README’s Python verification',
  () => {
    it('accepts what the bot sends and refuses what was forged, altered or replayed late', () => {
      const all = cases();
      const driver = `${codeBlock('python')}
import json, sys
results = []
for case in json.load(sys.stdin):
    d = case["delivery"]
    results.append(verify_esg_webhook(d["secret"], d["headers"], d["body"].encode(), d["at"] / 1000))
print(json.dumps(results))
`;
      const run = spawnSync('python3', ['-c', driver], {
        input: JSON.stringify(all),
        encoding: 'utf8',
      });
      expect(run.stderr).toBe('');
      const results = JSON.parse(run.stdout) as boolean[];
      expect(Object.fromEntries(all.map((c, i) => [c.name, results[i]]))).toEqual(
        Object.fromEntries(all.map((c) => [c.name, c.valid])),
      );
    });
  },
);

describe('the README’s event documentation', () => {
  it('shows an alert with the fields a real one has', () => {
    const example = /```json\n([\s\S]*?)```/.exec(section);
    const documented = JSON.parse(example![1]!) as Record<string, unknown>;
    const real = deliveries.events[0]!.event;
    expect(Object.keys(documented)).toEqual(Object.keys(real));
    expect(Object.keys(documented['post'] as object)).toEqual(Object.keys(real['post'] as object));
    // And the field table explains each of a post's fields (a field added within version 1 too).
    for (const key of Object.keys(real['post'] as object)) expect(section).toContain(`\`${key}\``);
  });

  it('names every type and every field an event can carry', () => {
    for (const type of WEBHOOK_EVENT_TYPES) expect(section).toContain(`\`${type}\``);
    const fields = [
      ...['version', 'id', 'type', 'sentAt', 'source', 'text', 'post', 'corrects'],
      ...['digest', 'posts', 'notice'],
    ];
    for (const field of fields) expect(section).toMatch(new RegExp(`^\\| \`${field}\` +\\|`, 'm'));
    for (const header of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      expect(section).toContain(`| \`${header}\``);
    }
  });
});
