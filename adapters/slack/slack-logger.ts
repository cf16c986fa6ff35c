import { LogLevel, type Logger as SlackLogger } from '@slack/logger';
import type { Logger } from '../../src/util/logger.js';

/**
 * Lets Bolt and the Slack clients log through the bot's pino logger. Their arguments stay
 * objects (strings make the message, anything else goes under `detail`, errors under `err`),
 * so the logger's redaction sees every field: a pre-formatted string would hide a token from
 * the key-based redaction.
 */
export function slackLogger(logger: Logger): SlackLogger {
  const log = logger.child({ component: 'slack' });
  let level = LogLevel.INFO;
  const write =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      const text = args.filter((a): a is string => typeof a === 'string').join(' ');
      const errors = args.filter((a): a is Error => a instanceof Error);
      const detail = args.filter((a) => typeof a !== 'string' && !(a instanceof Error));
      const fields: Record<string, unknown> = {};
      if (errors.length > 0) fields.err = errors[0];
      if (detail.length > 0) fields.detail = detail.length === 1 ? detail[0] : detail;
      log[method](fields, text || errors[0]?.message || 'slack');
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
