import { randomBytes } from 'node:crypto';
import {
  teamsCardIsRich,
  teamsHazards,
  teamsMessageProblems,
  teamsShownText,
} from './fake-teams-cards.js';
import {
  FakeWebhookServer,
  isJsonContentType,
  type HookAnswer,
  type WebhookRules,
} from './fake-webhook-server.js';

type Json = Record<string, unknown>;

/**
 * "The message size limit is 28 KB. When the size exceeds 28 KB, you receive an error"
 * (Microsoft Learn, Create Incoming Webhooks), read as 28,000 bytes: the stricter reading.
 */
export const TEAMS_LIMIT_BYTES = 28_000;

/**
 * Teams' "Transactions per second thresholds" for a connector or incoming webhook on a channel
 * (Microsoft Learn, Sending messages to connectors and webhooks, Rate limiting for connectors;
 * the Create Incoming Webhooks page repeats "more than four requests … in a second" for
 * Workflows webhooks). Teams counts in fixed windows; sliding ones here are at least as strict.
 */
export const TEAMS_WINDOWS = [
  { spanMs: 1_000, max: 4 },
  { spanMs: 30_000, max: 60 },
  { spanMs: 3_600_000, max: 100 },
  { spanMs: 7_200_000, max: 150 },
  { spanMs: 86_400_000, max: 1800 },
];

/**
 * Error codes as Power Automate (Azure Logic Apps underneath) names them in its
 * `{"error":{"code","message"}}` body. Only `DirectApiAuthorizationRequired` (401, a URL whose
 * signature no longer opens the flow) was seen in a public report; the others are this fake's
 * names, and the bot reads only the status.
 */
const ERROR_CODES: Record<number, string> = {
  400: 'InvalidRequestContent',
  401: 'DirectApiAuthorizationRequired',
  403: 'AuthorizationFailed',
  404: 'WorkflowNotFound',
  405: 'MethodNotAllowed',
  410: 'WorkflowNotFound',
  413: 'MessageTooLarge',
};

function errorAnswer(
  status: number,
  message: string,
  headers: Record<string, string> = {},
): HookAnswer {
  const code = ERROR_CODES[status] ?? (status >= 500 ? 'ServiceUnavailable' : 'BadRequest');
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify({ error: { code, message } }),
  };
}

/**
 * A Workflows webhook ("When a Teams webhook request is received", the template "Send webhook
 * alerts to a channel"): it takes the request with 202 Accepted and an empty body, and the flow
 * posts the card. A real flow checks the card only when it runs and reports a bad one in its
 * run history, not to the sender: this fake refuses such a card with 400 at once, the strict
 * reading, so that the bot's cards are held to what Teams renders.
 */
export const teamsRules: WebhookRules<Json> = {
  hookPath: (serial) =>
    `/powerautomate/automations/direct/workflows/${serial}${randomBytes(12).toString('hex')}` +
    `/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0` +
    `&sig=${randomBytes(16).toString('base64url')}`,
  maxBytes: TEAMS_LIMIT_BYTES,
  windows: TEAMS_WINDOWS,
  problems: (headers, body) => [
    // The trigger parses a JSON body only when it is sent as JSON.
    ...(isJsonContentType(headers) ? [] : ['Content-Type: must be application/json']),
    ...teamsMessageProblems(body),
  ],
  isRich: teamsCardIsRich,
  shown: teamsShownText,
  hazards: teamsHazards,
  answer: {
    accepted: () => ({ status: 202 }),
    refused: (status, reason) =>
      errorAnswer(
        status,
        status === 413
          ? `The payload is too large. Please make sure the size is less than 28KB. (${reason})`
          : reason,
      ),
    throttled: (seconds) =>
      errorAnswer(429, 'Rate limit is exceeded.', { 'retry-after': String(seconds) }),
  },
};

/** Teams' webhooks on 127.0.0.1: each hook URL is one channel's workflow. */
export class FakeTeams extends FakeWebhookServer<Json> {
  constructor() {
    super(teamsRules);
  }
}
