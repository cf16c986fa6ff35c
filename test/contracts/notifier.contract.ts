import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newsDigest, type NewsDigest } from '../../src/model/news-digest.js';
import {
  correctionNote,
  type NewsMessage,
  type SourceNotice,
} from '../../src/model/news-message.js';
import type { ChannelRef } from '../../src/model/subscription.js';
import { DETAILS, withDetails } from './release-details.fixture.js';
import { sendOrPlain } from '../../src/pipeline/deliver/delivery-failure.js';
import {
  DeliveryError,
  type DeliveryFailureKind,
  type Notifier,
  type SendOptions,
} from '../../src/ports/notifier.js';

/** One message as the platform shows it in a channel. */
export interface ShownMessage {
  /** The platform's id of the message; null where the platform shows none (a terminal). */
  id: string | null;
  /** Every text it shows (heading, title, fields, links), joined. */
  text: string;
  /** Whether it is in the platform's rich form (blocks, embeds) rather than its plainest. */
  rich: boolean;
}

/** How a platform can fail a call; the contract says which failure kind each one must be. */
export type PlatformFault = keyof typeof FAULTS;

/**
 * A platform for the contract: its fake, the real adapter built against it, and what the
 * contract needs to plant failures and read what the fake received.
 */
export interface NotifierHarness {
  /** Starts the fake platform and builds the real adapter against it. */
  start(): Promise<Notifier>;
  close(): Promise<void>;
  /** A channel that exists on the platform for the bot; a new one each call. */
  channel(): ChannelRef;
  /** What `channel` shows now, oldest first, each edit applied where the platform edits. */
  shown(channel: ChannelRef): ShownMessage[];
  /** What the platform would read as a mention or markup the bot did not mean, in `channel`. */
  unsafe(channel: ChannelRef): string[];
  /** The fake's record of the requests about `channel`: its own time of each, its Retry-After. */
  requests(channel: ChannelRef): Array<{ at: number; retryAfterMs: number | null }>;
  /** Plants a failure of the platform for `channel`; absent: the platform cannot fail so. */
  faults: Partial<Record<PlatformFault, (channel: ChannelRef) => void>>;
  /**
   * Lets `ms` pass for the platform's rate limits: the fake's injected clock where the adapter
   * keeps no timers of its own, real time where its client library does.
   */
  waitOut(ms: number): Promise<void>;
  /** A message id the platform never gave (an alert deleted since). */
  missingMessageId: string;
  supports: {
    /** The platform names each message by an id the adapter returns. */
    messageIds: boolean;
    /** `edit` replaces the message in place. */
    inPlaceEdits: boolean;
    /**
     * `edit` posts a short `[정정]` follow-up that names the alert it corrects, which stays as
     * it was (a webhook, which cannot change what it showed).
     */
    correctionFollowUps?: boolean;
    /** A second send with the same idempotency key returns the first message. */
    dedupesRetries: boolean;
    /** The platform never fails (a terminal): no fault applies. */
    neverFails: boolean;
    /**
     * The credential is the bot's own and is checked before any request (the key webhook
     * destinations are sealed with): a refused one sends nothing.
     */
    credentialsCheckedLocally?: boolean;
  };
}

/** What each platform failure must become, whatever the platform calls it (see DeliveryError). */
const FAULTS = {
  /** Deleted or archived channel (Slack `channel_not_found`, Discord 10003). */
  'channel-gone': { kind: 'permanent', scope: undefined },
  /** The bot lost access (Slack `not_in_channel`, Discord 50001). */
  'no-access': { kind: 'permanent', scope: undefined },
  /** The bot's token refused (Slack `token_revoked`, Discord 401). */
  'token-refused': { kind: 'unauthorized', scope: undefined },
  /** A 429 for this channel's route. */
  'rate-limited': { kind: 'rate-limited', scope: 'channel' },
  /** A 429 for everything the bot does. */
  'global-rate-limited': { kind: 'rate-limited', scope: 'global' },
  /** The rich rendering refused, the plain form accepted (Slack `invalid_blocks`, Discord 50035). */
  'rendering-refused': { kind: 'rejected', scope: undefined },
  /** The message refused in every form (Slack `msg_too_long`, Discord 50035). */
  'too-large': { kind: 'rejected', scope: undefined },
  /** The platform's 5xx. */
  'server-error': { kind: 'transient', scope: undefined },
  /** The connection dropped without an answer. */
  'network-error': { kind: 'transient', scope: undefined },
} as const satisfies Record<
  string,
  { kind: DeliveryFailureKind; scope: 'channel' | 'global' | undefined }
>;

const ALL_KINDS: DeliveryFailureKind[] = [
  'permanent',
  'rejected',
  'rate-limited',
  'unauthorized',
  'transient',
];

const message = (title: string, extra: Partial<NewsMessage> = {}): NewsMessage => ({
  source: { name: 'esg', label: 'ESG 정책뉴스' },
  title,
  url: `https://www.korea.kr/news/${encodeURIComponent(title.slice(0, 8))}`,
  ministry: '환경부',
  date: '2026-12-01',
  boardNo: 1700,
  originalUrl: null,
  summary: '환경부는 탄소중립 이행 점검 결과를 발표하였습니다.',
  ...extra,
});

const notice: SourceNotice = {
  kind: 'down',
  sourceId: 'esg',
  sourceLabel: 'ESG 정책뉴스',
  sourceUrl: 'https://www.korea.kr/rss/pressrelease.xml',
  since: '2026-12-01T00:00:00.000Z',
  error: 'HTTP 503',
};

const digest = (): NewsDigest =>
  newsDigest('digest', { name: 'esg', label: 'ESG 정책뉴스' }, [
    message('첫째 요약 글'),
    message('둘째 요약 글', { boardNo: 1701 }),
  ]);

/** The calls a fault can meet: every one that renders a message takes the same failures. */
type Operation = 'send' | 'edit' | 'digest' | 'notice';
const OPERATIONS: Operation[] = ['send', 'edit', 'digest', 'notice'];

/**
 * The contract every chat platform's {@link Notifier} keeps, run against the real adapter and
 * the platform's fake. A new platform joins with one file: its harness and this call.
 */
export function describeNotifierContract(platform: string, makeHarness: () => NotifierHarness) {
  describe(`${platform} notifier contract`, () => {
    // What the platform declares decides which tests it gets (the others are not defined:
    // a skipped test means a missing requirement, not another platform); each test gets a
    // fresh harness.
    const declared = makeHarness();
    const can = (fault: PlatformFault) => declared.faults[fault] !== undefined;
    let harness: NotifierHarness;
    let notifier: Notifier;

    beforeEach(async () => {
      harness = makeHarness();
      notifier = await harness.start();
    });

    afterEach(async () => {
      await harness.close();
    });

    /** Runs `call`, expecting a DeliveryError; returns it. */
    async function failure(call: Promise<unknown>): Promise<DeliveryError> {
      const error = await call.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, 'the call should have failed').toBeInstanceOf(DeliveryError);
      return error as DeliveryError;
    }

    const plant = (fault: PlatformFault, channel: ChannelRef) => harness.faults[fault]!(channel);

    describe('sending', () => {
      it('shows an alert once in its channel, with its title, ministry, lead and link', async () => {
        const channel = harness.channel();
        const other = harness.channel();
        const sent = message('탄소중립 이행 점검 결과');
        const id = await notifier.send(channel, sent, 'key-1');
        expect(typeof id).toBe('string');
        expect(id).not.toBe('');
        const shown = harness.shown(channel);
        expect(shown).toHaveLength(1);
        for (const part of [sent.title, sent.ministry!, sent.summary!, sent.url]) {
          expect(shown[0]!.text).toContain(part);
        }
        expect(harness.shown(other)).toEqual([]);
      });

      if (declared.supports.messageIds)
        it('returns the id the platform holds the message by, a new one per message', async () => {
          const channel = harness.channel();
          const first = await notifier.send(channel, message('첫째 글'), 'key-1');
          const second = await notifier.send(channel, message('둘째 글'), 'key-2');
          expect(harness.shown(channel).map((m) => m.id)).toEqual([first, second]);
          expect(first).not.toBe(second);
        });

      it('sends the plainest form when asked, with the title and link still in it', async () => {
        const channel = harness.channel();
        const sent = message('평문으로 보내는 글');
        await notifier.send(channel, sent, 'key-1', { plain: true });
        const [shown] = harness.shown(channel);
        expect(shown!.rich).toBe(false);
        expect(shown!.text).toContain(sent.title);
        expect(shown!.text).toContain(sent.url);
      });

      if (declared.supports.dedupesRetries)
        it('returns the first message for a retry with the same idempotency key, posting nothing new', async () => {
          const channel = harness.channel();
          const first = await notifier.send(channel, message('한 번만 보일 글'), 'same-key');
          const retry = await notifier.send(channel, message('한 번만 보일 글'), 'same-key');
          expect(retry).toBe(first);
          expect(harness.shown(channel)).toHaveLength(1);
        });

      it('lets no post text ping anyone or become markup', async () => {
        const channel = harness.channel();
        const hostile = message('@everyone @here <!channel> <@U123> 공지', {
          summary: '[여기](javascript:alert(1)) <#C1> <!subteam^S1> **굵게**',
        });
        await notifier.send(channel, hostile, 'key-1');
        await notifier.send(channel, hostile, 'key-2', { plain: true });
        expect(harness.unsafe(channel)).toEqual([]);
      });

      it('shows a release’s 보도시점, its first three files with their links, the count of the rest and its other carriers, rich and plain', async () => {
        const channel = harness.channel();
        const sent = withDetails(message, '첨부가 있는 보도자료');
        await notifier.send(channel, sent, 'key-1');
        await notifier.send(channel, sent, 'key-2', { plain: true });
        const shown = harness.shown(channel);
        expect(shown).toHaveLength(2);
        expect(shown[1]!.rich).toBe(false);
        for (const one of shown) {
          for (const part of DETAILS) expect(one.text).toContain(part);
          // Chat counts the fourth and fifth files, not lists them (a signed webhook's event
          // carries every file for programs); a javascript: link is no link anywhere.
          if (platform !== 'Signed webhook') expect(one.text).not.toContain('별첨 2.pdf');
          expect(one.text).not.toContain('javascript:');
        }
        expect(harness.unsafe(channel)).toEqual([]);
      });

      it('lets no file name ping anyone or become markup', async () => {
        const channel = harness.channel();
        const hostile = withDetails(message, '첨부 이름이 위험한 글', {
          attachments: [
            { name: '@everyone <@U123> <!channel>.hwpx', url: 'https://www.korea.kr/f/1' },
            { name: '[여기](javascript:alert(1)) **굵게**.pdf', url: 'javascript:alert(1)' },
            { name: '<b>굵게</b> <a href="x">a</a> `code`.pdf', url: 'https://www.korea.kr/f/3' },
          ],
          alsoCarriedBy: ['<!here> @here [x](javascript:1) _기울임_'],
        });
        await notifier.send(channel, hostile, 'key-1');
        await notifier.send(channel, hostile, 'key-2', { plain: true });
        expect(harness.unsafe(channel)).toEqual([]);
      });

      it('sends a digest as one message listing every post, and its plain form', async () => {
        const channel = harness.channel();
        await notifier.sendDigest(channel, digest(), 'key-1');
        await notifier.sendDigest(channel, digest(), 'key-2', { plain: true });
        const shown = harness.shown(channel);
        expect(shown).toHaveLength(2);
        for (const one of shown) {
          expect(one.text).toContain('첫째 요약 글');
          expect(one.text).toContain('둘째 요약 글');
        }
        expect(shown[1]!.rich).toBe(false);
      });

      it('sends a notice about the source, with its name and the error', async () => {
        const channel = harness.channel();
        await notifier.sendNotice(channel, notice, 'key-1');
        const shown = harness.shown(channel);
        expect(shown).toHaveLength(1);
        expect(shown[0]!.text).toContain('ESG 정책뉴스');
        expect(shown[0]!.text).toContain('HTTP 503');
      });
    });

    if (declared.supports.inPlaceEdits)
      describe('editing', () => {
        it('replaces the message by its id, posting nothing new', async () => {
          const channel = harness.channel();
          const id = await notifier.send(channel, message('정정 전 제목'), 'key-1');
          await notifier.edit!(channel, id!, message('[정정] 정정 후 제목', { corrected: true }));
          const shown = harness.shown(channel);
          expect(shown).toHaveLength(1);
          expect(shown[0]!.id).toBe(id);
          expect(shown[0]!.text).toContain('[정정] 정정 후 제목');
          expect(shown[0]!.text).not.toContain('정정 전 제목');
        });

        it('edits into the plainest form when asked', async () => {
          const channel = harness.channel();
          const id = await notifier.send(channel, message('풍부한 형식의 글'), 'key-1');
          await notifier.edit!(channel, id!, message('평문으로 고친 글'), { plain: true });
          const [shown] = harness.shown(channel);
          expect(shown!.rich).toBe(false);
          expect(shown!.text).toContain('평문으로 고친 글');
        });

        it('says permanent for a message that is gone', async () => {
          const channel = harness.channel();
          await notifier.send(channel, message('남아 있는 글'), 'key-1');
          const error = await failure(
            notifier.edit!(channel, harness.missingMessageId, message('없는 글')),
          );
          expect(error.kind).toBe('permanent');
        });
      });

    if (declared.supports.correctionFollowUps)
      describe('corrections as follow-ups', () => {
        it('posts the correction after the alert, naming it; the alert stays as it was', async () => {
          const channel = harness.channel();
          const id = await notifier.send(channel, message('정정 전 제목'), 'key-1');
          const corrected = message('[정정] 정정 후 제목', { corrected: true, ministry: '기후부' });
          await notifier.edit!(channel, id!, corrected);
          const shown = harness.shown(channel);
          expect(shown).toHaveLength(2);
          expect(shown[0]!.text).toContain('정정 전 제목');
          for (const part of [correctionNote(corrected), corrected.title, '기후부']) {
            expect(shown[1]!.text).toContain(part);
          }
          expect(shown[1]!.text).not.toContain('정정 전 제목');
        });

        it('posts the correction in the plainest form when asked', async () => {
          const channel = harness.channel();
          const id = await notifier.send(channel, message('풍부한 형식의 글'), 'key-1');
          const corrected = message('[정정] 평문으로 고친 글', { corrected: true });
          await notifier.edit!(channel, id!, corrected, { plain: true });
          const [, followUp] = harness.shown(channel);
          expect(followUp!.rich).toBe(false);
          expect(followUp!.text).toContain(corrected.title);
          expect(followUp!.text).toContain(correctionNote(corrected));
        });
      });

    if (can('rendering-refused') || can('too-large'))
      describe('refused rendering', () => {
        if (can('rendering-refused'))
          it('says rejected for the rich form, and deliver’s plain retry is shown', async () => {
            const channel = harness.channel();
            plant('rendering-refused', channel);
            const refusals: DeliveryError[] = [];
            const sent = message('블록을 거부당하는 글');
            const id = await sendOrPlain(
              (options: SendOptions) => notifier.send(channel, sent, 'key-1', options),
              (error) => refusals.push(error),
            );
            expect(refusals.map((e) => e.kind)).toEqual(['rejected']);
            const shown = harness.shown(channel);
            expect(shown).toHaveLength(1);
            expect(shown[0]!.rich).toBe(false);
            expect(shown[0]!.text).toContain(sent.title);
            if (harness.supports.messageIds) expect(shown[0]!.id).toBe(id);
          });

        if (can('rendering-refused') && declared.supports.inPlaceEdits)
          it('applies to edits too: the plain retry of an edit is shown in place', async () => {
            const channel = harness.channel();
            const id = await notifier.send(channel, message('고치기 전'), 'key-1', { plain: true });
            plant('rendering-refused', channel);
            await sendOrPlain((options) =>
              notifier.edit!(channel, id!, message('고친 뒤'), options),
            );
            const shown = harness.shown(channel);
            expect(shown).toHaveLength(1);
            expect(shown[0]!.text).toContain('고친 뒤');
          });

        if (can('too-large'))
          it('says rejected for every form of a message refused whole', async () => {
            const channel = harness.channel();
            plant('too-large', channel);
            const error = await failure(
              sendOrPlain((options) =>
                notifier.send(channel, message('거부되는 글'), 'k', options),
              ),
            );
            expect(error.kind).toBe('rejected');
            expect(harness.shown(channel)).toEqual([]);
          });
      });

    describe('failures', () => {
      it('produces every failure kind the port names, or none for a platform that cannot fail', () => {
        const faults = Object.keys(harness.faults) as PlatformFault[];
        const kinds = new Set(faults.map((fault) => FAULTS[fault].kind));
        expect([...kinds].sort()).toEqual(harness.supports.neverFails ? [] : [...ALL_KINDS].sort());
      });

      const cases = OPERATIONS.flatMap((operation) =>
        (Object.keys(declared.faults) as PlatformFault[])
          // A notice is plain text on every platform: there is no rich form to refuse.
          .filter((fault) => !(operation === 'notice' && fault === 'rendering-refused'))
          .filter(
            () =>
              operation !== 'edit' ||
              declared.supports.inPlaceEdits ||
              declared.supports.correctionFollowUps === true,
          )
          .map((fault) => [operation, fault] as const),
      );

      if (cases.length > 0)
        it.each(cases)(
          '%s meeting %s fails with its kind, without retrying',
          async (operation, fault) => {
            const channel = harness.channel();
            const sentId =
              operation === 'edit'
                ? await notifier.send(channel, message('고칠 글'), 'key-0')
                : null;
            const before = harness.requests(channel).length;
            plant(fault, channel);
            const error = await failure(run(operation, channel, sentId));
            expect(error.kind).toBe(FAULTS[fault].kind);
            if (FAULTS[fault].scope) expect(error.details.scope).toBe(FAULTS[fault].scope);
            if (error.kind === 'rate-limited')
              expect(error.details.retryAfterMs).toBeGreaterThan(0);
            // The adapter does not retry by itself: the delivery queue decides what happens next.
            // A credential the bot checks itself refuses before anything reaches the platform.
            const local = fault === 'token-refused' && harness.supports.credentialsCheckedLocally;
            expect(harness.requests(channel)).toHaveLength(before + (local ? 0 : 1));
            // Nothing new is shown, and an edited message stays as it was.
            const shown = harness.shown(channel);
            expect(shown).toHaveLength(operation === 'edit' ? 1 : 0);
            if (operation === 'edit') expect(shown[0]!.text).toContain('고칠 글');
          },
        );

      async function run(operation: Operation, channel: ChannelRef, sentId: string | null) {
        switch (operation) {
          case 'send':
            return notifier.send(channel, message('실패할 글'), 'key-1');
          case 'edit':
            return notifier.edit!(channel, sentId!, message('고친 글'));
          case 'digest':
            return notifier.sendDigest(channel, digest(), 'key-1');
          case 'notice':
            return notifier.sendNotice(channel, notice, 'key-1');
        }
      }

      if (can('rate-limited'))
        it('waits out a 429 for the Retry-After the platform sent; the platform then takes the retry', async () => {
          const channel = harness.channel();
          plant('rate-limited', channel);
          const error = await failure(notifier.send(channel, message('제한된 글'), 'key-1'));
          const [limited] = harness.requests(channel);
          expect(limited!.retryAfterMs).toBeGreaterThan(0);
          // The wait asked for is at least what the platform said.
          expect(error.details.retryAfterMs).toBeGreaterThanOrEqual(limited!.retryAfterMs!);

          // The delivery queue waits that long, then sends again.
          await harness.waitOut(error.details.retryAfterMs!);
          const id = await notifier.send(channel, message('제한된 글'), 'key-1');
          const requests = harness.requests(channel);
          expect(requests).toHaveLength(2);
          // The platform's own check, on its own clock: the retry came after its window.
          expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(limited!.retryAfterMs!);
          expect(requests[1]!.retryAfterMs).toBeNull();
          expect(harness.shown(channel).map((m) => m.id)).toEqual([
            harness.supports.messageIds ? id : null,
          ]);
        });

      if (can('global-rate-limited'))
        it('holds every channel on a global 429', async () => {
          const [limited, other] = [harness.channel(), harness.channel()];
          plant('global-rate-limited', limited);
          const first = await failure(notifier.send(limited, message('전역 제한 글'), 'key-1'));
          const second = await failure(notifier.send(other, message('다른 채널 글'), 'key-2'));
          for (const error of [first, second]) {
            expect(error.kind).toBe('rate-limited');
            expect(error.details.scope).toBe('global');
          }
          expect(harness.shown(other)).toEqual([]);
        });

      if (can('token-refused'))
        it('verifies the token, and says unauthorized once the platform refuses it', async () => {
          // A platform that can refuse the token must let the bot ask whether it still works.
          expect(typeof notifier.verify).toBe('function');
          await notifier.verify!();
          plant('token-refused', harness.channel());
          expect((await failure(notifier.verify!())).kind).toBe('unauthorized');
        });
    });
  });
}
