import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/util/logger.js';
import { waitFor } from '../../support/wait.js';
import { BOT_NAME, GROUP, MEMBER, PERSON, telegramBot, TOKEN } from './telegram-fixture.js';

/** Short lease and waits, so a handover takes a fraction of a second. */
const FAST = {
  leaseMs: 1_000,
  renewMs: 200,
  standbyMs: 50,
  conflictWaitMs: 100,
  timeoutSeconds: 2,
};

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

function logSink() {
  const lines: Array<{ level: number; msg: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        lines.push(JSON.parse(line) as (typeof lines)[number]);
      }
      done();
    },
  });
  return { lines, logger: createLogger('info', sink) };
}

describe('long polling across processes', () => {
  it('polls from one process only; another takes over when it stops, answering each command once', async () => {
    const first = await telegramBot({ harness: { platformOptions: { telegramPolling: FAST } } });
    cleanup.push(first.close);
    await first.polling();
    // A second process of the same deployment (same Redis keys), serving commands too.
    const second = await telegramBot({
      telegram: first.telegram,
      board: first.board,
      harness: {
        role: 'web',
        prefix: first.bot.prefix,
        platformOptions: { telegramPolling: FAST },
      },
    });
    cleanup.push(() => second.bot.close());

    first.command(PERSON, PERSON, '/news 1645');
    await first.shown(PERSON, 1);
    // Only one getUpdates at a time ever reached Telegram: no 409 between the two.
    expect(first.telegram.updates.conflicts).toBe(0);

    // The first process stops (its keys stay: the deployment goes on).
    await first.bot.stop();
    first.command(PERSON, PERSON, '/news 1646');
    const answers = await first.shown(PERSON, 2);
    expect(answers[1]!.shown.text).toContain('1646');
    expect(first.telegram.updates.conflicts).toBe(0);
    // Each command was answered once.
    expect(first.telegram.chats.in(String(PERSON))).toHaveLength(2);
  });

  it('survives a poller outside the deployment (409), and answers again once it is gone', async () => {
    const { lines, logger } = logSink();
    const bot = await telegramBot({
      harness: { logger, platformOptions: { telegramPolling: FAST } },
    });
    cleanup.push(bot.close);
    await bot.polling();
    // Someone else polls with the same token: Telegram ends the bot's poll with 409.
    const foreign = await fetch(`${bot.telegram.apiUrl}/bot${TOKEN}/getUpdates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ timeout: 0 }),
    });
    expect(foreign.status).toBe(200);
    await waitFor('the conflict logged', () =>
      lines.find((l) => l.level >= 50 && l.msg.includes('409 Conflict')),
    );
    bot.command(GROUP, MEMBER, `/news@${BOT_NAME} 1645`);
    const [answer] = await bot.shown(GROUP, 1);
    expect(answer!.shown.text).toContain('1645');
  });
});
