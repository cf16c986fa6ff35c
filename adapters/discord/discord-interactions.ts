import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { REST, Routes } from 'discord.js';
import { z } from 'zod';
import type { CommandService } from '../../src/commands/command-service.js';
import type { Logger } from '../../src/util/logger.js';
import { reply as sendJson, type Route } from '../http/http-server.js';
import { renderEdit, renderReply } from './discord-format.js';
import { DIRECT_MESSAGES } from './direct-messages.js';
import { canManageSubscriptions, choiceFor, NEWS_COMMAND } from './news-command.js';

/** Interaction and response types of Discord's API that this endpoint speaks. */
const PING = 1;
const APPLICATION_COMMAND = 2;
const AUTOCOMPLETE = 4;
const PONG = 1;
const CHANNEL_MESSAGE = 4;
const DEFERRED_CHANNEL_MESSAGE = 5;
const AUTOCOMPLETE_RESULT = 8;

/** Interactions are a few KB; the server refuses anything bigger before it is read. */
const MAX_BODY_BYTES = 64 * 1024;
/**
 * How far `X-Signature-Timestamp` may be from now, either way. A captured request stays
 * validly signed for ever; this bounds how long it can be replayed, and `claimInteraction`
 * closes the window itself.
 */
const MAX_TIMESTAMP_SKEW_SECONDS = 5 * 60;
/** DER prefix that turns a raw 32-byte Ed25519 key into SPKI, which Node's crypto reads. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

const snowflake = z.string().regex(/^[0-9]{1,20}$/);
/**
 * The part of Discord's interaction object this endpoint reads (unknown fields are dropped).
 * A validly signed body can still be odd (a bug, a test tool, a changed API): anything that
 * does not fit is answered 400, never left to throw further in (`BigInt('abc')`, a token
 * that would change the follow-up's URL path).
 */
const interactionSchema = z.object({
  id: snowflake,
  application_id: snowflake,
  type: z.number().int().min(1).max(255),
  token: z
    .string()
    .max(1_000)
    .regex(/^[^\s/?#%\\]+$/),
  guild_id: snowflake.optional(),
  channel_id: snowflake.optional(),
  member: z
    .object({
      user: z.object({ id: snowflake }),
      permissions: z.string().regex(/^[0-9]{1,40}$/),
    })
    .optional(),
  user: z.object({ id: snowflake }).optional(),
  data: z
    .object({
      // Optional: components and modals carry none, and get "unsupported interaction".
      name: z.string().max(100).optional(),
      options: z
        .array(
          z.object({
            name: z.string().max(100),
            value: z.union([z.string().max(6_000), z.number(), z.boolean()]).optional(),
            focused: z.boolean().optional(),
          }),
        )
        .max(25)
        .optional(),
    })
    .optional(),
});

type InteractionPayload = z.infer<typeof interactionSchema>;

export interface DiscordInteractionsOptions {
  publicKey: string;
  apiUrl: string;
  commands: CommandService;
  logger: Logger;
  /**
   * Claims an interaction id for good (e.g. Redis `SET NX EX` over the timestamp window);
   * `false` means it was seen before, and the request is refused with 409 as a replay. Called
   * for every interaction whose signature, timestamp and shape passed. Without it, a replay
   * is refused only once its timestamp is over five minutes old.
   */
  claimInteraction?: ((id: string) => Promise<boolean>) | undefined;
}

/**
 * `POST /discord/interactions`: Discord's outgoing-webhook alternative to the gateway. Every
 * request must carry a timestamp within five minutes of now and a valid Ed25519 signature
 * over timestamp + body (else 401), and an interaction of the expected shape (else 400); PING
 * gets PONG; `/news` and its autocomplete go to the same handlers as the gateway bot. The
 * body arrives read by {@link HttpServer} under this route's limit.
 */
export function discordInteractionsRoute(options: DiscordInteractionsOptions): Route {
  const key = publicKeyFrom(options.publicKey);
  // Follow-ups use the interaction's own token, never the bot token.
  const rest = new REST({ api: options.apiUrl, retries: 1 });
  const log = options.logger.child({ platform: 'discord', transport: 'http' });

  return {
    method: 'POST',
    path: '/discord/interactions',
    maxBodyBytes: MAX_BODY_BYTES,
    handler: async (req, res) => {
      const body = req.rawBody;
      const signature = header(req, 'x-signature-ed25519');
      const timestamp = header(req, 'x-signature-timestamp');
      // The cheap clock check first: a stale or future timestamp costs no signature check.
      if (!signature || !timestamp || !isFresh(timestamp, Date.now())) {
        return sendJson(res, 401, { error: 'invalid request signature' });
      }
      if (!isSigned(key, timestamp, body, signature)) {
        return sendJson(res, 401, { error: 'invalid request signature' });
      }
      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        return sendJson(res, 400, { error: 'invalid JSON' });
      }
      const parsed = interactionSchema.safeParse(json);
      if (!parsed.success) {
        const field = parsed.error.issues[0]?.path.join('.') ?? '';
        return sendJson(res, 400, { error: 'invalid interaction', field });
      }
      const interaction = parsed.data;
      if (options.claimInteraction && !(await options.claimInteraction(interaction.id))) {
        log.warn({ interaction: interaction.id }, 'refused a replayed interaction');
        return sendJson(res, 409, { error: 'interaction already handled' });
      }
      await respond(interaction, res, { ...options, rest, log });
    },
  };
}

async function respond(
  interaction: InteractionPayload,
  res: ServerResponse,
  ctx: DiscordInteractionsOptions & { rest: REST; log: Logger },
): Promise<void> {
  if (interaction.type === PING) return sendJson(res, 200, { type: PONG });
  if (interaction.type !== APPLICATION_COMMAND && interaction.type !== AUTOCOMPLETE) {
    return sendJson(res, 400, { error: 'unsupported interaction' });
  }
  if (interaction.data?.name !== NEWS_COMMAND.name) {
    return sendJson(res, 400, { error: 'unknown command' });
  }
  const query = interaction.data.options?.find((o) => o.name === 'query');
  const text = typeof query?.value === 'string' ? query.value : '';

  const channel = {
    platform: 'discord' as const,
    workspaceId: interaction.guild_id ?? DIRECT_MESSAGES,
    channelId: interaction.channel_id ?? 'unknown',
  };
  if (interaction.type === AUTOCOMPLETE) {
    // Suggestions come from what this server may see: never another tenant's sources.
    const choices = (await ctx.commands.suggest(channel, text)).map(choiceFor);
    return sendJson(res, 200, { type: AUTOCOMPLETE_RESULT, data: { choices } });
  }

  const result = await ctx.commands.run(
    {
      ...channel,
      userId: interaction.member?.user.id ?? interaction.user?.id ?? 'unknown',
      canManageSubscriptions: canManageSubscriptions(
        interaction.guild_id ? BigInt(interaction.member?.permissions ?? '0') : null,
      ),
    },
    text,
  );
  if (result.kind === 'now') {
    return sendJson(res, 200, { type: CHANNEL_MESSAGE, data: renderReply(result.reply) });
  }
  sendJson(res, 200, { type: DEFERRED_CHANNEL_MESSAGE });
  const data = renderEdit(await result.reply);
  await ctx.rest
    .patch(Routes.webhookMessage(interaction.application_id, interaction.token, '@original'), {
      body: data,
      auth: false,
    })
    .catch((error: unknown) =>
      ctx.log.warn({ err: (error as Error).message }, 'could not edit the deferred reply'),
    );
}

function publicKeyFrom(hex: string): KeyObject {
  return createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]),
    format: 'der',
    type: 'spki',
  });
}

function isSigned(key: KeyObject, timestamp: string, body: Buffer, signatureHex: string): boolean {
  if (!/^[0-9a-f]{128}$/i.test(signatureHex)) return false;
  return verify(
    null,
    Buffer.concat([Buffer.from(timestamp), body]),
    key,
    Buffer.from(signatureHex, 'hex'),
  );
}

/** Whether a Unix-seconds timestamp is within the allowed skew of `nowMs`, either way. */
function isFresh(timestamp: string, nowMs: number): boolean {
  if (!/^[0-9]{1,12}$/.test(timestamp)) return false;
  return Math.abs(nowMs / 1000 - Number(timestamp)) <= MAX_TIMESTAMP_SKEW_SECONDS;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
