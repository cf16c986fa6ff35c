import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { REST, Routes } from 'discord.js';
import type { CommandService } from '../../src/commands/command-service.js';
import type { Logger } from '../../src/logger.js';
import { reply as sendJson, type Route } from '../http/http-server.js';
import { renderEdit, renderReply } from './discord-format.js';
import { canManageSubscriptions, choiceFor, NEWS_COMMAND } from './news-command.js';

/** Interaction and response types of Discord's API that this endpoint speaks. */
const PING = 1;
const APPLICATION_COMMAND = 2;
const AUTOCOMPLETE = 4;
const PONG = 1;
const CHANNEL_MESSAGE = 4;
const DEFERRED_CHANNEL_MESSAGE = 5;
const AUTOCOMPLETE_RESULT = 8;

const MAX_BODY = 64 * 1024;
/** DER prefix that turns a raw 32-byte Ed25519 key into SPKI, which Node's crypto reads. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

interface InteractionPayload {
  type: number;
  application_id: string;
  token: string;
  guild_id?: string;
  channel_id?: string;
  member?: { user: { id: string }; permissions: string };
  user?: { id: string };
  data?: { name: string; options?: Array<{ name: string; value?: unknown; focused?: boolean }> };
}

export interface DiscordInteractionsOptions {
  publicKey: string;
  apiUrl: string;
  commands: CommandService;
  logger: Logger;
}

/**
 * `POST /discord/interactions`: Discord's outgoing-webhook alternative to the gateway. Every
 * request must carry a valid Ed25519 signature over timestamp + body (else 401); PING gets
 * PONG; `/news` and its autocomplete go to the same handlers as the gateway bot.
 */
export function discordInteractionsRoute(options: DiscordInteractionsOptions): Route {
  const key = publicKeyFrom(options.publicKey);
  // Follow-ups use the interaction's own token, never the bot token.
  const rest = new REST({ api: options.apiUrl, retries: 1 });
  const log = options.logger.child({ platform: 'discord', transport: 'http' });

  return {
    method: 'POST',
    path: '/discord/interactions',
    handler: async (req, res) => {
      const body = await readBody(req);
      if (body === null) return sendJson(res, 413, { error: 'body too large' });
      const signature = header(req, 'x-signature-ed25519');
      const timestamp = header(req, 'x-signature-timestamp');
      if (!signature || !timestamp || !isSigned(key, timestamp, body, signature)) {
        return sendJson(res, 401, { error: 'invalid request signature' });
      }
      let interaction: InteractionPayload;
      try {
        interaction = JSON.parse(body.toString('utf8')) as InteractionPayload;
      } catch {
        return sendJson(res, 400, { error: 'invalid JSON' });
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
  if (interaction.data?.name !== NEWS_COMMAND.name)
    return sendJson(res, 400, { error: 'unknown command' });
  const query = interaction.data.options?.find((o) => o.name === 'query');
  const text = typeof query?.value === 'string' ? query.value : '';

  if (interaction.type === AUTOCOMPLETE) {
    const choices = (await ctx.commands.suggest(text)).map(choiceFor);
    return sendJson(res, 200, { type: AUTOCOMPLETE_RESULT, data: { choices } });
  }
  if (interaction.type !== APPLICATION_COMMAND)
    return sendJson(res, 400, { error: 'unsupported interaction' });

  const result = await ctx.commands.run(
    {
      platform: 'discord',
      workspaceId: interaction.guild_id ?? 'dm',
      channelId: interaction.channel_id ?? 'unknown',
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

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
