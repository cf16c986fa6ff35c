import type { DiscordAnswer } from './fake-discord-rate-limits.js';
import { discordMessageProblems } from './platform-limits.js';

export const BOT_USER = {
  id: '333333333333333333',
  username: 'esg-news',
  discriminator: '0',
  bot: true,
  avatar: null,
  global_name: null,
};

/** A message object as Discord returns it. */
export function messageObject(
  id: string,
  channelId: string,
  body: Record<string, unknown>,
): Record<string, unknown> {
  return {
    id,
    channel_id: channelId,
    type: 0,
    content: body.content ?? '',
    embeds: body.embeds ?? [],
    author: BOT_USER,
    attachments: [],
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: false,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    flags: 0,
    components: [],
    nonce: body.nonce,
  };
}

/** Discord's 400 for a message it will not take. */
export function invalidBody(problems: string[]): DiscordAnswer {
  const empty = problems.some((p) => p.includes('neither content nor embeds'));
  return {
    status: 400,
    body: {
      message: empty ? 'Cannot send an empty message' : 'Invalid Form Body',
      code: empty ? 50006 : 50035,
      errors: { _errors: problems.map((message) => ({ code: 'BASE_TYPE_INVALID', message })) },
    },
  };
}

/**
 * The messages of the fake Discord, once the token, the channel's faults and the rate limits
 * were checked: creation honours `nonce` + `enforce_nonce` like Discord, and both creation and
 * edits refuse what Discord would refuse (its documented limits, see platform-limits.ts) and
 * what a test planted.
 */
export class DiscordMessages {
  /** Messages created, per channel (an edit replaces its body in place). */
  readonly messages = new Map<string, Array<Record<string, unknown>>>();
  /** Edits of messages (`PATCH /channels/{id}/messages/{id}`), in order. */
  readonly edits: Array<{ channelId: string; messageId: string; body: Record<string, unknown> }> =
    [];
  /**
   * Channels whose messages Discord refuses whatever the limits say: `embeds` refuses any
   * message with embeds, `all` every message (400, 50035 Invalid Form Body).
   */
  readonly contentFaults = new Map<string, 'embeds' | 'all'>();
  /** Messages refused for their content, with the problems found. */
  readonly refused: Array<{ channelId: string; problems: string[] }> = [];
  /** How long a nonce is remembered (Discord: "a few minutes"). */
  nonceMemoryMs = 5 * 60_000;
  lastPostAt = 0;
  /** Created messages by id, to edit them. */
  private readonly byId = new Map<string, { channelId: string; index: number }>();
  /** Each channel's message ids, in the order of `messages`. */
  private readonly ids = new Map<string, string[]>();
  /** Nonces of created messages and when they were created: Discord remembers them for minutes only. */
  private readonly nonces = new Map<string, { message: Record<string, unknown>; at: number }>();
  private sequence = 0;

  constructor(private readonly now: () => number) {}

  /** The ids of a channel's messages, oldest first. */
  idsIn(channelId: string): string[] {
    return this.ids.get(channelId) ?? [];
  }

  /** `POST /channels/{id}/messages`. */
  create(channelId: string, body: Record<string, unknown>): DiscordAnswer {
    const problems = this.problems(channelId, body);
    if (problems.length > 0) return invalidBody(problems);
    this.lastPostAt = this.now();
    const nonceKey = `${channelId}/${String(body.nonce)}`;
    const remembered = this.nonces.get(nonceKey);
    if (body.enforce_nonce && body.nonce && remembered) {
      if (this.now() - remembered.at < this.nonceMemoryMs) {
        return { status: 200, body: remembered.message };
      }
      this.nonces.delete(nonceKey);
    }
    const id = String(7_000_000_000_000_000n + BigInt(++this.sequence));
    const message = messageObject(id, channelId, body);
    if (body.nonce) this.nonces.set(nonceKey, { message, at: this.now() });
    const list = this.messages.get(channelId) ?? [];
    list.push(body);
    this.messages.set(channelId, list);
    this.ids.set(channelId, [...this.idsIn(channelId), id]);
    this.byId.set(id, { channelId, index: list.length - 1 });
    return { status: 200, body: message };
  }

  /** `PATCH /channels/{id}/messages/{id}`: the same limits as a new message; 10008 when unknown. */
  edit(channelId: string, messageId: string, body: Record<string, unknown>): DiscordAnswer {
    const found = this.byId.get(messageId);
    if (!found || found.channelId !== channelId) {
      return { status: 404, body: { message: 'Unknown Message', code: 10008 } };
    }
    const list = this.messages.get(channelId)!;
    const edited = { ...list[found.index], ...body };
    const problems = this.problems(channelId, edited);
    if (problems.length > 0) return invalidBody(problems);
    list[found.index] = edited;
    this.edits.push({ channelId, messageId, body });
    return { status: 200, body: messageObject(messageId, channelId, edited) };
  }

  /** What Discord would refuse in the message as it would stand: its limits, or a fault. */
  private problems(channelId: string, body: Record<string, unknown>): string[] {
    const problems = discordMessageProblems(body);
    const fault = this.contentFaults.get(channelId);
    if (fault === 'all') problems.push('refused by the test');
    if (fault === 'embeds' && Array.isArray(body.embeds) && body.embeds.length > 0) {
      problems.push('embeds: refused by the test');
    }
    if (problems.length > 0) this.refused.push({ channelId, problems });
    return problems;
  }
}
