import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DestinationFormat } from '../../adapters/destinations/destination-format.js';
import { doorayFormat } from '../../adapters/dooray/dooray-format.js';
import { jandiFormat } from '../../adapters/jandi/jandi-format.js';
import { teamsFormat } from '../../adapters/teams/teams-format.js';
import * as telegram from '../../adapters/telegram/telegram-format.js';
import { MESSAGE_LIMIT } from '../../adapters/telegram/telegram-html.js';
import { webhookFormat } from '../../adapters/webhook/webhook-format.js';
import { newsDigest } from '../../src/model/news-digest.js';
import { CORRECTION_MARK, type NewsMessage } from '../../src/model/news-message.js';
import { doorayRules } from '../support/fake-dooray.js';
import { jandiRules } from '../support/fake-jandi.js';
import { teamsRules } from '../support/fake-teams.js';
import { parseTelegramHtml, telegramSafetyProblems } from '../support/fake-telegram-html.js';
import type { WebhookRules } from '../support/fake-webhook-server.js';
import { post, reply } from '../support/hostile-posts.js';

/**
 * The platforms rendering-limits.test.ts leaves to their own fakes' rules (Telegram, Teams,
 * JANDI, Dooray!, signed webhooks), held to them for any post a hostile source could publish:
 * its files, 보도시점 and other carriers included.
 */

function expectTelegram(message: telegram.TelegramMessage): void {
  const shown = message.html
    ? parseTelegramHtml(message.text)
    : { text: message.text, entities: [] };
  expect(shown.text.trim()).not.toBe('');
  expect(shown.text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
  expect(telegramSafetyProblems(shown)).toEqual([]);
}

const CONTEXT = { deliveryId: 'delivery-1', plain: false, now: new Date(Date.UTC(2026, 11, 7)) };

const DESTINATIONS: Array<[string, DestinationFormat, WebhookRules<Record<string, unknown>>]> = [
  ['Teams', teamsFormat, teamsRules],
  ['JANDI', jandiFormat, jandiRules],
  ['Dooray!', doorayFormat, doorayRules],
];

/** The body as the notifier sends it, checked by the platform fake's own rules. */
function expectDestination(
  format: DestinationFormat,
  rules: WebhookRules<Record<string, unknown>>,
  rendered: unknown,
): void {
  const body = JSON.stringify(rendered);
  expect(Buffer.byteLength(body)).toBeLessThanOrEqual(Math.min(format.maxBytes, rules.maxBytes));
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    ...format.headers?.(body, { url: 'https://x.example', secret: null }, CONTEXT),
  };
  const parsed = JSON.parse(body) as Record<string, unknown>;
  expect(rules.problems(headers, parsed)).toEqual([]);
  expect(rules.hazards(parsed)).toEqual([]);
}

const corrected = (message: NewsMessage): NewsMessage => ({
  ...message,
  title: `[${CORRECTION_MARK}] ${message.title}`,
  corrected: true,
});

describe('Telegram keeps its limits and shows no markup, for any post', () => {
  it('alerts and their plain retries, new and corrected', () => {
    fc.assert(
      fc.property(post, fc.boolean(), (base, edit) => {
        const message = edit ? corrected(base) : base;
        expectTelegram(telegram.renderAlert(message));
        expectTelegram(telegram.renderPlainAlert(message));
      }),
      { numRuns: 500 },
    );
  });

  it('command replies with up to 30 posts, and digests', () => {
    fc.assert(
      fc.property(reply(fc.array(post, { maxLength: 30 })), (answer) => {
        expectTelegram(telegram.renderReply(answer));
        expectTelegram(telegram.renderPlainReply(answer));
        if (answer.posts.length > 0) {
          const digest = newsDigest('digest', null, answer.posts);
          expectTelegram(telegram.renderDigest(digest));
          expectTelegram(telegram.renderPlainDigest(digest));
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe.each(DESTINATIONS)(
  '%s keeps its limits and shows no markup, for any post',
  (_name, format, rules) => {
    it('alerts and corrections, rich and plain', () => {
      fc.assert(
        fc.property(post, fc.boolean(), (message, plain) => {
          const context = { ...CONTEXT, plain };
          expectDestination(format, rules, format.alert(message, context));
          expectDestination(
            format,
            rules,
            format.correction(corrected(message), { ...context, corrects: 'delivery-0' }),
          );
        }),
        { numRuns: 300 },
      );
    });

    it('digests of up to 30 posts, rich and plain', () => {
      fc.assert(
        fc.property(
          fc.array(post, { minLength: 1, maxLength: 30 }),
          fc.boolean(),
          (posts, plain) => {
            const digest = newsDigest('quiet', { name: 'esg', label: 'ESG 정책뉴스' }, posts);
            expectDestination(format, rules, format.digest(digest, { ...CONTEXT, plain }));
          },
        ),
        { numRuns: 50 },
      );
    });
  },
);

describe('the signed webhook event', () => {
  it('stays within its limit with any post’s files, each name one line, each link http(s) or null', () => {
    fc.assert(
      fc.property(fc.array(post, { minLength: 1, maxLength: 20 }), (posts) => {
        const event = webhookFormat.digest(newsDigest('digest', null, posts), CONTEXT) as {
          posts: Array<{
            embargoAt: string | null;
            attachments: Array<{ name: string; url: string | null }>;
          }>;
        };
        const alert = webhookFormat.alert(posts[0]!, CONTEXT);
        // Titles and leads are bounded by the readers, not here: the files alone are weighed.
        const files = JSON.stringify(event.posts.map((p) => p.attachments));
        expect(Buffer.byteLength(files)).toBeLessThanOrEqual(48 * 1024 + 100);
        for (const listed of [...event.posts, (alert as { post: (typeof event.posts)[0] }).post]) {
          if (listed.embargoAt !== null)
            expect(new Date(listed.embargoAt).toISOString()).toBe(listed.embargoAt);
          for (const file of listed.attachments) {
            // One line: no line break or other control character.
            expect([...file.name].some((c) => c < ' ' || c === '\u007f')).toBe(false);
            expect(file.name.trim()).not.toBe('');
            if (file.url !== null) expect(file.url).toMatch(/^https?:\/\//);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
