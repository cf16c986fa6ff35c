import { slackMessageProblems } from './platform-limits.js';

/**
 * A response_url takes "up to 5 times within 30 minutes of receiving the payload"
 * (docs.slack.dev, Handling user interaction; the same in the slash command guide). Slack
 * documents the limits, not the wording of its refusal: the fake answers 404 `expired_url`.
 */
const USES = 5;
const LIFETIME_MS = 30 * 60_000;

/** A reply to a command: its acknowledgement, or a message sent to its response_url. */
export interface SlackReply {
  text?: unknown;
  blocks?: unknown;
  response_type?: unknown;
  delete_original?: unknown;
}

/**
 * The answers to commands: the acknowledgement and the response_url posts, each checked
 * against Slack's message limits (text length, 50 blocks, the blocks' own limits), and each
 * response_url against its uses and lifetime, measured on the fake's clock.
 */
export class SlackResponses {
  /** Messages accepted on response URLs, by the URL's id (a command's: its label). */
  readonly responses: Array<{ id: string; body: Record<string, unknown> }> = [];
  /** Replies Slack would not show: on a response URL (by id) or as an acknowledgement (`ack`). */
  readonly refused: Array<{ id: string; error: string; problems: string[] }> = [];
  /** Response URL id → when its payload was sent, and how often it was used. */
  private readonly issued = new Map<string, { at: number; uses: number }>();

  constructor(private readonly now: () => number) {}

  /** Starts a response URL's 30 minutes, as sending the payload that carries it does. */
  issue(id: string): void {
    if (!this.issued.has(id)) this.issued.set(id, { at: this.now(), uses: 0 });
  }

  /**
   * A post to the response URL `key` (`<id>`, or a command's `<label>/<n>`): the HTTP status
   * and body Slack answers.
   */
  answer(key: string, raw: string): { status: number; body: Record<string, unknown> } {
    const id = key.split('/')[0]!;
    const url = this.issued.get(key);
    if (!url || url.uses >= USES || this.now() - url.at > LIFETIME_MS) {
      const problem = !url ? 'never issued' : url.uses >= USES ? `used ${USES} times` : 'expired';
      this.refused.push({ id, error: 'expired_url', problems: [`response_url: ${problem}`] });
      return { status: 404, body: { ok: false, error: 'expired_url' } };
    }
    url.uses++;
    const body = JSON.parse(raw) as Record<string, unknown>;
    const problems = replyProblems(body);
    if (problems.length > 0) {
      const error = /^(\w+):/.exec(problems[0]!)?.[1] ?? 'invalid_blocks';
      this.refused.push({ id, error, problems });
      return { status: 400, body: { ok: false, error } };
    }
    this.responses.push({ id, body });
    return { status: 200, body: { ok: true } };
  }

  /**
   * What Slack would refuse in a command's acknowledgement (an empty one is fine: Slack then
   * shows nothing); refused ones are recorded as `ack`.
   */
  acknowledgementProblems(body: SlackReply | null): string[] {
    if (!body || (body.text === undefined && body.blocks === undefined)) return [];
    const problems = replyProblems(body);
    if (problems.length > 0) this.refused.push({ id: 'ack', error: 'invalid_ack', problems });
    return problems;
  }
}

function replyProblems(body: SlackReply): string[] {
  if (body.delete_original === true) return [];
  const { text, blocks } = body;
  return slackMessageProblems({
    ...(text !== undefined ? { text: text as string } : {}),
    ...(blocks !== undefined ? { blocks: blocks as unknown[] } : {}),
  });
}
