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
 * Dooray!'s Incoming Hook guide (Dooray! > Messenger > Incoming Hook Guide): a POST of
 * `{ botName, botIconImage, text, attachments: [{ title, titleLink, text, color }] }` with
 * `Content-Type: application/json`, colours named (`red`, `green`). Its API reference (응답
 * 결과 해석) gives the answers' shape, `{"header":{"isSuccessful","resultCode","resultMessage"}}`
 * with the statuses 400, 401, 403, 404, 409, 415, 429, 500.
 *
 * Not documented, so chosen strictly here: `botName` and `text` required (every example has
 * both); no other fields; a `titleLink` only with a title; the colours the guide and PyDooray
 * use (red, green, yellow, purple); 16,000 bytes at most; one message a second per hook (a
 * public integration guide says Dooray! asks for no more); error `resultCode`s (-1 here, since
 * Dooray! publishes none).
 */
export const DOORAY_LIMIT_BYTES = 16_000;
export const DOORAY_WINDOWS = [{ spanMs: 1_000, max: 1 }];
const COLOURS = ['red', 'green', 'yellow', 'purple'];
const isText = (value: unknown): value is string =>
  typeof value === 'string' && value.trim() !== '';

/** Dooray!'s answer body. */
export function doorayHeader(
  isSuccessful: boolean,
  resultCode: number | string,
  resultMessage: string,
) {
  return JSON.stringify({ header: { resultCode, resultMessage, isSuccessful } });
}

function answer(
  status: number,
  ok: boolean,
  message: string,
  headers: Record<string, string> = {},
): HookAnswer {
  return {
    status,
    headers: { 'content-type': 'application/json;charset=UTF-8', ...headers },
    body: doorayHeader(ok, ok ? 0 : -1, message),
  };
}

export function doorayProblems(body: unknown): string[] {
  if (!isObject(body)) return ['the body is not a JSON object'];
  const problems = unknownKeys(body, ['botName', 'botIconImage', 'text', 'attachments'], '');
  if (!isText(body.botName)) problems.push('botName: required');
  if (!isText(body.text)) problems.push('text: required');
  if (
    body.botIconImage !== undefined &&
    (typeof body.botIconImage !== 'string' || !isHttpUrl(body.botIconImage))
  ) {
    problems.push('botIconImage: an http(s) URL');
  }
  if (body.attachments === undefined) return problems;
  if (!Array.isArray(body.attachments)) return [...problems, 'attachments: not an array'];
  body.attachments.forEach((attachment: unknown, i) => {
    const path = `attachments[${i}]`;
    if (!isObject(attachment)) return problems.push(`${path}: not an object`);
    problems.push(...unknownKeys(attachment, ['title', 'titleLink', 'text', 'color'], path));
    for (const key of ['title', 'titleLink', 'text', 'color']) {
      if (attachment[key] !== undefined && typeof attachment[key] !== 'string')
        problems.push(`${path}.${key}: not a string`);
    }
    if (!isText(attachment.title) && !isText(attachment.text))
      problems.push(`${path}: needs a title or a text`);
    if (attachment.titleLink !== undefined) {
      if (!isText(attachment.title)) problems.push(`${path}.titleLink: only with a title`);
      if (typeof attachment.titleLink !== 'string' || !isHttpUrl(attachment.titleLink))
        problems.push(`${path}.titleLink: an http(s) URL`);
    }
    const color = attachment.color;
    if (color !== undefined && (typeof color !== 'string' || !COLOURS.includes(color))) {
      problems.push(`${path}.color: one of ${COLOURS.join(', ')}`);
    }
  });
  return problems;
}

const attachmentsOf = (body: Json): Json[] =>
  Array.isArray(body.attachments) ? body.attachments.filter(isObject) : [];

export const doorayRules: WebhookRules<Json> = {
  hookPath: (serial) =>
    `/services/${3_000_000_000_000_000_000n + BigInt(serial)}/${3_900_000_000_000_000_000n + BigInt(serial)}/${randomBytes(16).toString('base64url')}`,
  maxBytes: DOORAY_LIMIT_BYTES,
  windows: DOORAY_WINDOWS,
  problems: (headers, body) => [
    ...(isJsonContentType(headers) ? [] : ['Content-Type: must be application/json']),
    ...doorayProblems(body),
  ],
  // The plainest message is `text` alone.
  isRich: (body) => attachmentsOf(body).length > 0,
  shown: (body) =>
    [
      String(body.text),
      ...attachmentsOf(body).flatMap((a) =>
        [a.title, a.titleLink, a.text].filter((part): part is string => typeof part === 'string'),
      ),
    ].join('\n'),
  // Dooray! messages read Markdown (mentions are `[@name](dooray://…)` links); the guide does not
  // say which hook fields do, so every text is read as Markdown.
  hazards: (body) => [
    ...loneSurrogates(body),
    ...markdownHazards(String(body.text), 'text'),
    ...attachmentsOf(body).flatMap((a, i) =>
      (['title', 'text'] as const).flatMap((key) =>
        typeof a[key] === 'string' ? markdownHazards(a[key], `attachments[${i}].${key}`) : [],
      ),
    ),
  ],
  answer: {
    accepted: () => answer(200, true, ''),
    refused: (status, reason) => answer(status, false, reason),
    throttled: (seconds) =>
      answer(429, false, 'too many requests', { 'retry-after': String(seconds) }),
  },
};

/**
 * Dooray!'s incoming hooks on 127.0.0.1: each hook URL is one chat room's. `resultFailures`
 * plants the answer Dooray! gives with HTTP 200 when it did not post: `isSuccessful: false`.
 */
export class FakeDooray extends FakeWebhookServer<Json> {
  readonly resultFailures = new Map<
    string,
    { resultCode: number | string; resultMessage: string }
  >();

  constructor() {
    super(doorayRules);
  }

  protected override lastWord(url: string): HookAnswer | null {
    const failure = this.resultFailures.get(url);
    if (!failure) return null;
    return {
      status: 200,
      headers: { 'content-type': 'application/json;charset=UTF-8' },
      body: doorayHeader(false, failure.resultCode, failure.resultMessage),
    };
  }
}
