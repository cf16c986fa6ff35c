import { buildCliServices } from '../../src/app/cli-services.js';
import type { Output } from '../../src/cli/cli-output.js';
import { parseConfig, type Config } from '../../src/config/config.js';
import { connectTestRedis, TEST_REDIS_URL, type TestRedis } from '../support/redis.js';

export type CliTestServices = ReturnType<typeof buildCliServices>;

/** The CLI's own services on the machine's Redis, under a prefix no other test uses. */
export interface CliFixture {
  test: TestRedis;
  config: Config;
  services: CliTestServices;
  /** Closes the services' queues, deletes every key of the prefix and disconnects. */
  cleanup(): Promise<void>;
}

/** `env` is the bot's configuration (e.g. `SOURCES`); Redis and the prefix are the test's. */
export async function cliFixture(env: Record<string, string> = {}): Promise<CliFixture> {
  const test = await connectTestRedis();
  const config = parseConfig({ REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: test.prefix, ...env });
  const services = buildCliServices(test.redis, config);
  return {
    test,
    config,
    services,
    async cleanup() {
      await services.close();
      await test.cleanup();
    },
  };
}

/** An output that keeps what is written, and redacts one known secret. */
export function memoryOutput(json = false, secret = 'SECRET-VALUE'): Output & { text: string } {
  const output = {
    json,
    text: '',
    write(text: string) {
      output.text += text;
    },
    warn(text: string) {
      output.text += `warning: ${text}\n`;
    },
    redact: (text: string) => text.split(secret).join('[redacted]'),
  };
  return output;
}
