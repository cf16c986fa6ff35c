import {
  alertHeading,
  noticeText,
  plainText,
  type NewsMessage,
  type SourceNotice,
} from '../../src/news-message.js';
import { digestPlainText, type NewsDigest } from '../../src/news-digest.js';
import type { Notifier } from '../../src/notifier.js';
import type { ChannelRef } from '../../src/subscription.js';

/** Prints each alert: what the bot does when no chat token is configured, and in the demo. */
export class ConsoleNotifier implements Notifier {
  readonly platform = 'console' as const;

  constructor(
    private readonly write: (text: string) => void = (text) => process.stdout.write(text),
  ) {}

  send(channel: ChannelRef, message: NewsMessage): Promise<void> {
    const body = plainText(message)
      .split('\n')
      .map((line) => `  ${line}`)
      .join('\n');
    this.write(`\n[${channel.channelId}] ${alertHeading(message)}\n${body}\n`);
    return Promise.resolve();
  }

  sendDigest(channel: ChannelRef, digest: NewsDigest): Promise<void> {
    const [heading, ...lines] = digestPlainText(digest).split('\n');
    this.write(`\n[${channel.channelId}] ${heading}\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
    return Promise.resolve();
  }

  sendNotice(channel: ChannelRef, notice: SourceNotice): Promise<void> {
    this.write(`\n[${channel.channelId}] ${noticeText(notice)}\n`);
    return Promise.resolve();
  }
}
