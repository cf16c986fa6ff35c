import { SlackNotifier } from '../../adapters/slack/slack-notifier.js';
import type { ChannelRef } from '../../src/model/subscription.js';
import { FakeSlack, type PostedMessage } from '../support/fake-slack.js';
import { slackSafetyProblems } from '../support/platform-limits.js';
import { describeNotifierContract, type NotifierHarness } from './notifier.contract.js';

describeNotifierContract('Slack', slackHarness);

const TEAM = 'T-CONTRACT';
const TOKEN = 'xoxb-contract-token';

/**
 * The real `SlackNotifier` (@slack/web-api) against the fake Slack. The web client is built
 * to reject a 429 at once (`rejectRateLimitedCalls`, no retries) and keeps no timer of its
 * own, so the fake's clock is injected and a Retry-After is waited out by moving it.
 */
function slackHarness(): NotifierHarness {
  let slack: FakeSlack;
  let clock = 0;
  let channels = 0;
  const inChannel = (channel: ChannelRef) =>
    slack.posted.filter((m) => m.team === TEAM && m.channel === channel.channelId);
  return {
    async start() {
      slack = (await new FakeSlack().start()).addTeam(TEAM, TOKEN);
      clock = Date.now();
      slack.now = () => clock;
      return new SlackNotifier(TOKEN, { slackApiUrl: slack.apiUrl });
    },
    close: () => slack.close(),
    channel() {
      const channelId = `C-CONTRACT-${++channels}`;
      slack.addChannel(TEAM, channelId);
      return { platform: 'slack', workspaceId: TEAM, channelId };
    },
    shown: (channel) =>
      inChannel(channel).map((m) => ({
        id: m.ts,
        text: [m.text, ...texts(m.blocks)].join('\n'),
        rich: m.blocks.length > 0,
      })),
    unsafe: (channel) =>
      inChannel(channel).flatMap((m: PostedMessage) => [
        ...slackSafetyProblems(m),
        ...(m.parse === 'none' ? [] : [`parse: ${m.parse ?? 'Slack’s default'}, not none`]),
      ]),
    requests: (channel) =>
      slack.requests
        .filter((call) => call.method.startsWith('chat.') && call.channel === channel.channelId)
        .map((call) => ({
          at: call.at,
          retryAfterMs: call.retryAfter === undefined ? null : call.retryAfter * 1000,
        })),
    faults: {
      'channel-gone': (channel) => slack.channelErrors.set(channel.channelId, 'channel_not_found'),
      'no-access': (channel) => slack.channelErrors.set(channel.channelId, 'not_in_channel'),
      'token-refused': () => slack.revoke(TOKEN),
      'rate-limited': (channel) =>
        slack.rateLimits.set(channel.channelId, { remaining: 1, retryAfter: 30 }),
      'rendering-refused': (channel) => slack.contentFaults.set(channel.channelId, 'blocks'),
      'too-large': (channel) => slack.contentFaults.set(channel.channelId, 'all'),
      'server-error': (channel) => slack.transportFaults.set(channel.channelId, 503),
      'network-error': (channel) => slack.transportFaults.set(channel.channelId, 'reset'),
    },
    waitOut(ms) {
      clock += ms;
      return Promise.resolve();
    },
    missingMessageId: '1700000000.999999',
    supports: { messageIds: true, inPlaceEdits: true, dedupesRetries: false, neverFails: false },
  };
}

/** Every `text` string in a message's blocks. */
function texts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(texts);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    key === 'text' && typeof item === 'string' ? [item] : texts(item),
  );
}
