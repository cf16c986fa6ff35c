import { redactUrl, SourceError } from '../../../src/model/source-error.js';
import { SERVICE_KEY_VARIABLE } from '../../../src/sources/press-release-api.js';
import { nextKoreaMidnight } from './korea-time.js';
import type { PressReleaseAnswer } from './press-release-parser.js';

/**
 * What the 정책브리핑 API's refusals mean, in words `/news 상태` can show an operator: which
 * code, what it means and what to do. Every message names the URL redacted (`serviceKey=***`):
 * the key is never in an error.
 */

interface Refusal {
  code: 'ACCESS_REFUSED' | 'QUOTA_EXCEEDED' | 'API_ERROR';
  explain: string;
}

/**
 * data.go.kr's gateway codes (`returnReasonCode`) and their names (`returnAuthMsg`, or the
 * API's own `resultMsg`), with what each means for the operator.
 */
const REFUSALS: ReadonlyArray<{ number: string; name: string; refusal: Refusal }> = [
  {
    number: '30',
    name: 'SERVICE_KEY_IS_NOT_REGISTERED_ERROR',
    refusal: {
      code: 'ACCESS_REFUSED',
      explain: `the service key is not registered: a newly issued key can take about an hour before data.go.kr accepts it; otherwise check ${SERVICE_KEY_VARIABLE}`,
    },
  },
  {
    number: '22',
    name: 'LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR',
    refusal: {
      code: 'QUOTA_EXCEEDED',
      explain:
        "the service key's calls for today are used up; read again after midnight Korea time",
    },
  },
  {
    number: '20',
    name: 'SERVICE_ACCESS_DENIED_ERROR',
    refusal: {
      code: 'ACCESS_REFUSED',
      explain:
        'the service key may not use this API: apply for 정책브리핑 보도자료 (dataset 15095295) on data.go.kr with it',
    },
  },
  {
    number: '31',
    name: 'DEADLINE_HAS_EXPIRED_ERROR',
    refusal: {
      code: 'ACCESS_REFUSED',
      explain: "the service key's period of use has ended: extend it on data.go.kr",
    },
  },
  {
    number: '32',
    name: 'UNREGISTERED_IP_ERROR',
    refusal: {
      code: 'ACCESS_REFUSED',
      explain: "the service key does not allow this server's IP address: add it on data.go.kr",
    },
  },
  {
    number: '12',
    name: 'NO_OPENAPI_SERVICE_ERROR',
    refusal: { code: 'API_ERROR', explain: "no such service: check the source's URL" },
  },
  {
    number: '',
    name: 'THREE_DAYS_OVER_ERROR',
    refusal: {
      code: 'API_ERROR',
      explain:
        "the API refused the bot's window of days as wider than three: a bug in the bot, please report it",
    },
  },
];

/**
 * The error an answer of the API means, or `null` when it lists releases. `url` is the request
 * (with its key: the error shows it redacted); `nowMs` dates a quota's reset.
 */
export function answerError(
  answer: PressReleaseAnswer | null,
  url: string,
  nowMs: number,
): SourceError | null {
  const shown = redactUrl(url);
  if (answer === null) {
    return new SourceError(
      'UNPARSEABLE',
      `${shown} did not answer as the 정책브리핑 API does (no <response> XML)`,
      { url },
    );
  }
  if (answer.kind === 'gateway') {
    return refused(
      url,
      nowMs,
      answer.returnReasonCode,
      answer.returnAuthMsg || answer.errMsg,
      'data.go.kr refused the call',
    );
  }
  if (answer.truncated) {
    return new SourceError('UNPARSEABLE', `${shown} was cut off before the answer ended`, { url });
  }
  if (answer.resultCode === '' && answer.resultMsg === '') return null;
  if (/^0+$/.test(answer.resultCode)) return null;
  return refused(
    url,
    nowMs,
    answer.resultCode,
    answer.resultMsg,
    'the 정책브리핑 API answered an error',
  );
}

function refused(
  url: string,
  nowMs: number,
  number: string,
  name: string,
  fallback: string,
): SourceError {
  const known =
    REFUSALS.find((entry) => name !== '' && name.toUpperCase().includes(entry.name)) ??
    REFUSALS.find((entry) => entry.number !== '' && entry.number === number);
  const said = [name, number ? `code ${number}` : ''].filter(Boolean).join(', ') || 'no code';
  const shown = redactUrl(url);
  if (!known) {
    return new SourceError('API_ERROR', `${shown}: ${fallback} (${said})`, { url });
  }
  const { code, explain } = known.refusal;
  if (code !== 'QUOTA_EXCEEDED') {
    return new SourceError(code, `${shown}: ${explain} (${said})`, { url });
  }
  const resetAt = nextKoreaMidnight(nowMs);
  return new SourceError(
    code,
    `${shown}: ${explain} (${said}); not read before ${new Date(resetAt).toISOString()}`,
    { url, retryAfterMs: resetAt - nowMs },
  );
}
