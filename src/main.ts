import { parseArgs } from 'node:util';
import { ROLES, startApp, type Role } from './app/app.js';
import { ConfigError, configSecrets, loadDotEnv, parseConfig } from './config/config.js';
import { createLogger } from './util/logger.js';
import { explainStartFailure } from './app/start-failure.js';

/** Entry point: `npm start [-- --role all|scheduler|worker|web]`. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { role: { type: 'string' } } });
  if (values.role !== undefined && !ROLES.includes(values.role as Role)) {
    console.error(`Unknown --role "${values.role}": use one of ${ROLES.join(', ')}`);
    process.exit(2);
  }

  loadDotEnv();
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }

  const role = (values.role as Role | undefined) ?? config.role;
  const logger = createLogger(config.logLevel, undefined, configSecrets(process.env));
  const app = await startApp({ config, logger, role });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight jobs');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(`esg-news-bot could not start: ${explainStartFailure(error)}`);
  process.exit(1);
});
