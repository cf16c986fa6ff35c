import { pino, type Logger, type LoggerOptions } from 'pino';
import { redactObject, redactText, type Secrets } from '../config/secrets.js';

export type { Logger };

const NO_SECRETS: Secrets = { keys: new Set(['authorization']), urlKeys: new Set(), values: [] };

/**
 * The process's root logger; everything else gets a child of it. Secrets are kept out twice
 * over: every logged object has its secret keys redacted at any depth (the names come from the
 * configuration schema's marks), and every finished line has the secret values themselves
 * replaced, whatever field, error message or URL carried them.
 */
export function createLogger(
  level: LoggerOptions['level'] = 'info',
  destination?: pino.DestinationStream,
  secrets: Secrets = NO_SECRETS,
): Logger {
  const options: LoggerOptions = {
    level,
    base: { app: 'esg-news-bot' },
    serializers: { err: pino.stdSerializers.err },
    formatters: {
      log: (object) => redactObject(object, secrets) as Record<string, unknown>,
      bindings: (bindings) => redactObject(bindings, secrets) as Record<string, unknown>,
    },
    hooks:
      secrets.values.length > 0 ? { streamWrite: (line) => redactText(line, secrets.values) } : {},
  };
  return destination ? pino(options, destination) : pino(options);
}
