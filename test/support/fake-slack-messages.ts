import { slackMessageProblems } from './platform-limits.js';

export interface PostedMessage {
  channel: string;
  text: string;
  blocks: Array<Record<string, unknown>>;
  authorization: string | undefined;
  /** Slack's id of the message, which chat.update names it by. */
  ts: string;
  /** The workspace the token belongs to. */
  team: string;
  /** How Slack was asked to parse `text` (`none`, `full`; absent: its default). */
  parse?: string;
}

/** A Web API answer body. */
export type SlackAnswer = Record<string, unknown>;

/**
 * The messages of the fake Slack: `chat.postMessage` and `chat.update` once the token, the
 * rate limits and the channel's team were checked. Both refuse what Slack would refuse (its
 * documented limits, see platform-limits.ts) and what a test planted.
 */
export class SlackMessages {
  readonly posted: PostedMessage[] = [];
  /** chat.update calls that changed a message: which one, and what it says now. */
  readonly updates: Array<{ channel: string; ts: string; text: string }> = [];
  /** `ok: false` errors to answer every message call in a channel with (posts and edits). */
  readonly channelErrors = new Map<string, string>();
  /**
   * Channels whose messages Slack refuses whatever the limits say: `blocks` refuses any
   * message with blocks (`invalid_blocks`), `all` refuses every message (`msg_too_long`).
   */
  readonly contentFaults = new Map<string, 'blocks' | 'all'>();
  /** Messages refused for their content, with Slack's error. */
  readonly refused: Array<{ channel: string; error: string; problems: string[] }> = [];
  lastPostAt = 0;

  constructor(private readonly now: () => number) {}

  post(team: string, form: Record<string, string>, authorization: string | undefined): SlackAnswer {
    const channel = form.channel ?? '';
    const error = this.channelErrors.get(channel);
    if (error) return { ok: false, error };
    const blocks = parseBlocks(form.blocks);
    const contentError = this.contentError(channel, form.text, blocks);
    if (contentError) return { ok: false, error: contentError };
    this.lastPostAt = this.now();
    // Unique per channel, like Slack's: seconds with six decimals.
    const ts = `${Math.floor(this.now() / 1000)}.${String(this.posted.length).padStart(6, '0')}`;
    this.posted.push({
      channel,
      text: form.text ?? '',
      blocks: blocks ?? [],
      authorization,
      ts,
      team,
      ...(form.parse !== undefined ? { parse: form.parse } : {}),
    });
    return { ok: true, channel, ts };
  }

  update(team: string, form: Record<string, string>): SlackAnswer {
    const channel = form.channel ?? '';
    const error = this.channelErrors.get(channel);
    if (error) return { ok: false, error };
    const message = this.posted.find((m) => m.channel === channel && m.ts === form.ts);
    if (!message) return { ok: false, error: 'message_not_found' };
    // A bot edits only what it posted itself.
    if (message.team !== team) return { ok: false, error: 'cant_update_message' };
    const blocks = parseBlocks(form.blocks);
    const contentError = this.contentError(channel, form.text, blocks);
    if (contentError) return { ok: false, error: contentError };
    message.text = form.text ?? message.text;
    // Like Slack: an update not saying how to parse is parsed by its default again.
    if (form.parse !== undefined) message.parse = form.parse;
    else delete message.parse;
    // Like Slack: blocks left out are kept; an empty list removes them.
    if (blocks) message.blocks = blocks;
    this.updates.push({ channel, ts: message.ts, text: message.text });
    return { ok: true, channel, ts: message.ts, text: message.text };
  }

  /** Messages posted in one team. */
  postedIn(teamId: string): PostedMessage[] {
    return this.posted.filter((message) => message.team === teamId);
  }

  /** Slack's answer to a message it would not post, or null: its documented limits, or a fault. */
  private contentError(
    channel: string,
    text: string | undefined,
    blocks: unknown[] | undefined,
  ): string | null {
    const problems = slackMessageProblems({
      ...(text !== undefined ? { text } : {}),
      ...(blocks !== undefined ? { blocks } : {}),
    });
    const fault = this.contentFaults.get(channel);
    if (fault === 'all') problems.push('msg_too_long: refused by the test');
    if (fault === 'blocks' && blocks?.length) problems.push('invalid_blocks: refused by the test');
    if (problems.length === 0) return null;
    const error = /^(\w+):/.exec(problems[0]!)?.[1] ?? 'invalid_blocks';
    this.refused.push({ channel, error, problems });
    return error;
  }
}

/** `blocks` arrive as a JSON string in the form. */
function parseBlocks(blocks: string | undefined): Array<Record<string, unknown>> | undefined {
  return blocks ? (JSON.parse(blocks) as Array<Record<string, unknown>>) : undefined;
}
