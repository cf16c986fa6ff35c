import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * Slack's Socket Mode end: the WebSocket `apps.connections.open` hands out. Says hello, sends
 * envelopes and resolves each with the payload the bot acknowledged it with.
 */
export class SlackSocket {
  private readonly sockets = new WebSocketServer({ noServer: true });
  private socket: WebSocket | null = null;
  private readonly acks = new Map<string, (payload: unknown) => void>();

  get connected(): boolean {
    return this.socket !== null;
  }

  /** Takes over an HTTP upgrade to the socket URL. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.sockets.handleUpgrade(req, socket, head, (ws) => {
      this.socket = ws;
      ws.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as { envelope_id?: string; payload?: unknown };
        if (message.envelope_id) this.acks.get(message.envelope_id)?.(message.payload ?? null);
      });
      ws.send(
        JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' } }),
      );
    });
  }

  /** Sends one envelope; resolves with the payload the bot acknowledged it with. */
  send(type: string, payload: unknown, acceptsResponse: boolean): Promise<unknown> {
    const envelopeId = `env-${Math.random().toString(36).slice(2)}`;
    return new Promise((resolve) => {
      this.acks.set(envelopeId, resolve);
      this.socket!.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          accepts_response_payload: acceptsResponse,
          payload,
        }),
      );
    });
  }

  close(): void {
    this.socket?.terminate();
    this.sockets.close();
  }
}
