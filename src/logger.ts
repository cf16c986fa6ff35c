import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Paths redacted in every log line: tokens and secrets must never reach a log, even when a
 * whole options or error object is logged by mistake.
 */
export const REDACTED_PATHS = [
  'token',
  '*.token',
  '*.*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  '*.*.headers.authorization',
  'config.slackBotToken',
  'config.slackSigningSecret',
  'config.slackAppToken',
  'config.discordToken',
  'config.redisUrl',
];

/** The process's root logger; everything else gets a child of it. */
export function createLogger(
  level: LoggerOptions['level'] = 'info',
  destination?: pino.DestinationStream,
): Logger {
  const options: LoggerOptions = {
    level,
    base: { app: 'esg-news-bot' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err },
  };
  return destination ? pino(options, destination) : pino(options);
}
