import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { BOT_USER } from './fake-discord-messages.js';

export const APPLICATION_ID = '111111111111111111';
export const GUILD_ID = '222222222222222222';

/**
 * Discord's gateway: says HELLO, answers IDENTIFY with READY (or closes with 4004 for a refused
 * token) and heartbeats with ACK, and dispatches events.
 */
export class DiscordGateway {
  identified = false;
  private readonly server = new WebSocketServer({ noServer: true });
  private socket: WebSocket | null = null;
  private sequence = 0;
  private token: string | null = null;

  constructor(private readonly refusedTokens: ReadonlySet<string>) {}

  /** Takes over an HTTP upgrade to the gateway URL; `resumeUrl` is that URL. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, resumeUrl: string): void {
    this.server.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, resumeUrl));
  }

  /** Closes the session of `token`, as Discord does when the token is reset. */
  refuse(token: string): void {
    if (this.token === token) this.socket?.close(4004, 'Authentication failed.');
  }

  dispatch(event: string, data: unknown): void {
    this.socket?.send(JSON.stringify({ op: 0, t: event, s: ++this.sequence, d: data }));
  }

  close(): void {
    this.socket?.terminate();
    this.server.close();
  }

  private onConnection(ws: WebSocket, resumeUrl: string): void {
    this.socket = ws;
    ws.on('message', (data: Buffer) => {
      const payload = JSON.parse(data.toString()) as { op: number; d?: { token?: string } };
      if (payload.op === 1) ws.send(JSON.stringify({ op: 11 }));
      if (payload.op === 2 && this.refusedTokens.has(payload.d?.token ?? '')) {
        ws.close(4004, 'Authentication failed.');
        return;
      }
      if (payload.op === 2) {
        this.token = payload.d?.token ?? null;
        this.dispatch('READY', {
          v: 10,
          user: BOT_USER,
          guilds: [],
          session_id: 'session',
          resume_gateway_url: resumeUrl,
          shard: [0, 1],
          application: { id: APPLICATION_ID, flags: 0 },
        });
        this.identified = true;
      }
    });
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 45_000 } }));
  }
}

/** What a `/news` interaction is sent with; see {@link commandInteraction}. */
export interface CommandOptions {
  channelId?: string;
  guildId?: string;
  permissions?: bigint;
  autocomplete?: boolean;
}

/**
 * The INTERACTION_CREATE payload of `/news query:<text>` in a guild channel (of {@link GUILD_ID}
 * unless `guildId` says another server), from a member with `permissions`.
 */
export function commandInteraction(
  id: string,
  token: string,
  text: string | null,
  options: CommandOptions,
): Record<string, unknown> {
  const channelId = options.channelId ?? '555555555555555555';
  const guildId = options.guildId ?? GUILD_ID;
  return {
    id,
    application_id: APPLICATION_ID,
    type: options.autocomplete ? 4 : 2,
    token,
    version: 1,
    guild_id: guildId,
    channel_id: channelId,
    channel: { id: channelId, type: 0, guild_id: guildId, name: 'esg' },
    member: {
      user: {
        id: '666666666666666666',
        username: 'kim',
        discriminator: '0',
        avatar: null,
        global_name: null,
      },
      roles: [],
      permissions: String(options.permissions ?? 0n),
      joined_at: new Date().toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
    },
    app_permissions: '0',
    locale: 'ko',
    guild_locale: 'ko',
    entitlements: [],
    authorizing_integration_owners: {},
    context: 0,
    data: {
      id: '900',
      name: 'news',
      type: 1,
      options:
        text === null
          ? []
          : [
              {
                name: 'query',
                type: 3,
                value: text,
                ...(options.autocomplete ? { focused: true } : {}),
              },
            ],
    },
  };
}
