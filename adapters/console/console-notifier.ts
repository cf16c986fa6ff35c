import {
  alertHeading,
  noticeText,
  plainText,
  type NewsMessage,
  type SourceNotice,
} from '../../src/model/news-message.js';
import { digestPlainText, type NewsDigest } from '../../src/model/news-digest.js';
import type { Notifier } from '../../src/ports/notifier.js';
import { randomUUID } from 'node:crypto';
import type { ChannelRef } from '../../src/model/subscription.js';

/** Prints each alert: what the bot does when no chat token is configured, and in the demo. */
export class ConsoleNotifier implements Notifier {
  readonly platform = 'console' as const;

  constructor(
    private readonly write: (text: string) => void = (text) => process.stdout.write(text),
  ) {}

  /** Prints the alert; its id lets a correction be printed as an edit of it. */
  send(channel: ChannelRef, message: NewsMessage): Promise<string> {
    this.write(`\n[${channel.channelId}] ${alertHeading(message)}\n${indented(message)}\n`);
    return Promise.resolve(randomUUID());
  }

  /** A terminal cannot change what it printed: the corrected alert is printed again, marked. */
  edit(channel: ChannelRef, messageId: string, message: NewsMessage): Promise<void> {
    this.write(
      `\n[${channel.channelId}] ${alertHeading(message)} (알림 ${messageId.slice(0, 8)} 수정)\n${indented(message)}\n`,
    );
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

function indented(message: NewsMessage): string {
  return plainText(message)
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
