import { randomBytes } from 'node:crypto';
import { isHttpUrl, loneSurrogates, markdownHazards } from './fake-webhook-markup.js';
import {
  FakeWebhookServer,
  isJsonContentType,
  isObject,
  unknownKeys,
  type HookAnswer,
  type WebhookRules,
} from './fake-webhook-server.js';

type Json = Record<string, unknown>;

/**
 * What JANDI's guide (support.jandi.com, 잔디 커넥트 인커밍 웹훅(Incoming Webhook)으로 외부
 * 데이터를 잔디로 수신하고 싶습니다) states: "request에는 반드시 Accept와 Content-Type을 다음과
 * 같이 지정해줘야 합니다", POST only, and the body
 * `{ body, connectColor: "#FAC11B", connectInfo: [{ title, description, imageUrl? }] }`, where
 * `body` is the message, `connectColor` a hex colour and `connectInfo` the attachment blocks.
 */
export const JANDI_ACCEPT_HEADER = 'application/vnd.tosslab.jandi-v2+json';

/**
 * JANDI documents no size limit, no rate limit and no error bodies. The strict choices here:
 * 16,000 bytes, one message a second per topic (as the bot spaces them itself, and the pace
 * Dooray! asks for), and `{ "code", "msg" }` bodies with the usual statuses; the bot reads
 * only the status. Fields the guide does not name are refused, and each `connectInfo` block
 * needs both its title and its description (every example has both).
 */
export const JANDI_LIMIT_BYTES = 16_000;
export const JANDI_WINDOWS = [{ spanMs: 1_000, max: 1 }];
const HEX_COLOUR = /^#[0-9A-Fa-f]{6}$/;
const isText = (value: unknown): value is string =>
  typeof value === 'string' && value.trim() !== '';

function errorAnswer(
  status: number,
  msg: string,
  headers: Record<string, string> = {},
): HookAnswer {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ code: status * 100, msg }),
  };
}

export function jandiProblems(body: unknown): string[] {
  if (!isObject(body)) return ['the body is not a JSON object'];
  const problems = unknownKeys(body, ['body', 'connectColor', 'connectInfo'], '');
  if (!isText(body.body)) problems.push('body: required, and not blank');
  if (
    body.connectColor !== undefined &&
    (typeof body.connectColor !== 'string' || !HEX_COLOUR.test(body.connectColor))
  ) {
    problems.push('connectColor: must be #RRGGBB');
  }
  if (body.connectInfo !== undefined) {
    if (!Array.isArray(body.connectInfo)) problems.push('connectInfo: not an array');
    else {
      body.connectInfo.forEach((info: unknown, i) => {
        const path = `connectInfo[${i}]`;
        if (!isObject(info)) return problems.push(`${path}: not an object`);
        problems.push(...unknownKeys(info, ['title', 'description', 'imageUrl'], path));
        if (!isText(info.title)) problems.push(`${path}.title: required`);
        if (!isText(info.description)) problems.push(`${path}.description: required`);
        if (
          info.imageUrl !== undefined &&
          (typeof info.imageUrl !== 'string' || !isHttpUrl(info.imageUrl))
        ) {
          problems.push(`${path}.imageUrl: an http(s) URL`);
        }
      });
    }
  }
  return problems;
}

const infos = (body: Json): Json[] =>
  Array.isArray(body.connectInfo) ? body.connectInfo.filter(isObject) : [];

export const jandiRules: WebhookRules<Json> = {
  hookPath: (serial) =>
    `/connect-api/webhook/${10_000_000 + serial}/${randomBytes(16).toString('hex')}`,
  maxBytes: JANDI_LIMIT_BYTES,
  windows: JANDI_WINDOWS,
  problems: (headers, body) => [
    ...(headers.accept === JANDI_ACCEPT_HEADER ? [] : [`Accept: must be ${JANDI_ACCEPT_HEADER}`]),
    ...(isJsonContentType(headers) ? [] : ['Content-Type: must be application/json']),
    ...jandiProblems(body),
  ],
  // The plainest message is the body alone, without links or attachment blocks.
  isRich: (body) => infos(body).length > 0 || /\]\(https?:/.test(String(body.body)),
  shown: (body) =>
    [
      String(body.body),
      ...infos(body).flatMap((info) => [
        String(info.title),
        String(info.description),
        ...(typeof info.imageUrl === 'string' ? [info.imageUrl] : []),
      ]),
    ].join('\n'),
  // The guide shows Markdown links in `body`; it says nothing of the blocks, so they are read
  // as Markdown too.
  hazards: (body) => [
    ...loneSurrogates(body),
    ...markdownHazards(String(body.body), 'body'),
    ...infos(body).flatMap((info, i) => [
      ...markdownHazards(String(info.title), `connectInfo[${i}].title`),
      ...markdownHazards(String(info.description), `connectInfo[${i}].description`),
    ]),
  ],
  answer: {
    accepted: () => ({ status: 200 }),
    refused: (status, reason) => errorAnswer(status, reason),
    throttled: (seconds) =>
      errorAnswer(429, 'too many requests', { 'retry-after': String(seconds) }),
  },
};

/** JANDI's incoming webhooks on 127.0.0.1: each hook URL is one topic's. */
export class FakeJandi extends FakeWebhookServer<Json> {
  constructor() {
    super(jandiRules);
  }
}
