import { invalidBody, messageObject } from './fake-discord-messages.js';
import type { DiscordAnswer } from './fake-discord-rate-limits.js';
import { discordMessageProblems } from './platform-limits.js';

/**
 * Interaction deadlines (docs/interactions/receiving-and-responding): the initial response
 * within 3 seconds, else the token is invalidated; the token then serves for 15 minutes.
 */
const INITIAL_RESPONSE_MS = 3000;
const TOKEN_LIFETIME_MS = 15 * 60_000;
/** "autocomplete choices (max of 25 choices)" (the same page). */
const MAX_CHOICES = 25;

interface Interaction {
  id: string;
  /** When Discord sent it, on the deadline clock (0 without one). */
  sentAt: number;
  /** Whether the initial response was given. */
  responded: boolean;
  /** The response message as it stands (`{}` while deferred), once responded. */
  original: Record<string, unknown> | null;
}

/**
 * The interactions Discord sent the bot and its answers to them: one initial response each
 * (`POST /interactions/{id}/{token}/callback`), checked against the message limits (content,
 * 10 embeds, 6,000 characters of embeds) and autocomplete's 25 choices, then edits of it
 * (`PATCH /webhooks/{app}/{token}/messages/@original`) under the same limits.
 *
 * The 3-second and 15-minute deadlines are kept only on an injected `clock`: a test's wall
 * time measures the machine, not the bot.
 */
export class DiscordInteractions {
  /** The clock deadlines run on; null: none are enforced. */
  clock: (() => number) | null = null;
  /** Answers Discord would refuse, with the problems found. */
  readonly refused: Array<{ token: string; problems: string[] }> = [];
  private readonly byToken = new Map<string, Interaction>();

  /** An interaction sent over the gateway: the bot must answer it with a callback. */
  sent(id: string, token: string): void {
    this.byToken.set(token, { id, sentAt: this.clock?.() ?? 0, responded: false, original: null });
  }

  /**
   * An interaction sent to the bot's HTTP endpoint: its answer to that request is the initial
   * response, which the fake does not see (the test does); edits of it are then allowed.
   */
  answeredInline(id: string, token: string): void {
    this.byToken.set(token, { id, sentAt: this.clock?.() ?? 0, responded: true, original: {} });
  }

  /** `POST /interactions/{id}/{token}/callback`. */
  callback(id: string, token: string, body: Record<string, unknown> | null): DiscordAnswer {
    const interaction = this.byToken.get(token);
    if (!interaction || interaction.id !== id || this.late(interaction, INITIAL_RESPONSE_MS)) {
      return { status: 404, body: { message: 'Unknown interaction', code: 10062 } };
    }
    if (interaction.responded) {
      return {
        status: 400,
        body: { message: 'Interaction has already been acknowledged.', code: 40060 },
      };
    }
    const problems = responseProblems(body);
    if (problems.length > 0) return this.refuse(token, problems);
    interaction.responded = true;
    const data = (body?.data ?? {}) as Record<string, unknown>;
    interaction.original = body?.type === 4 ? data : {};
    return { status: 204 };
  }

  /** `PATCH /webhooks/{app}/{token}/messages/@original`. */
  editOriginal(token: string, body: Record<string, unknown>): DiscordAnswer {
    const interaction = this.byToken.get(token);
    if (!interaction) return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
    if (this.late(interaction, TOKEN_LIFETIME_MS)) {
      return { status: 401, body: { message: 'Invalid Webhook Token', code: 50027 } };
    }
    if (!interaction.responded || !interaction.original) {
      return { status: 404, body: { message: 'Unknown Message', code: 10008 } };
    }
    const edited = { ...interaction.original, ...body };
    const problems = discordMessageProblems(edited);
    if (problems.length > 0) return this.refuse(token, problems);
    interaction.original = edited;
    return { status: 200, body: messageObject(interaction.id, '0', edited) };
  }

  private late(interaction: Interaction, allowedMs: number): boolean {
    return this.clock !== null && this.clock() - interaction.sentAt > allowedMs;
  }

  private refuse(token: string, problems: string[]): DiscordAnswer {
    this.refused.push({ token, problems });
    return invalidBody(problems);
  }
}

/** What Discord refuses in an interaction response, by its callback type. */
function responseProblems(body: Record<string, unknown> | null): string[] {
  const data = body?.data;
  switch (body?.type) {
    case 4: // CHANNEL_MESSAGE_WITH_SOURCE
      return discordMessageProblems((data ?? {}) as Record<string, unknown>);
    case 5: // DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
      return [];
    case 8: {
      // APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
      const choices = (data as { choices?: unknown } | undefined)?.choices;
      if (!Array.isArray(choices)) return ['data.choices: not an array'];
      return choices.length > MAX_CHOICES
        ? [`data.choices: ${choices.length} choices (max ${MAX_CHOICES})`]
        : [];
    }
    default:
      return [`type: ${String(body?.type)} is not a response to a command`];
  }
}
