/**
 * The bot as a child process for crash and shutdown tests: the real app (role from ROLE,
 * default worker), alerts posted to CHAT_URL when set (else through the chat platforms the
 * environment configures), short lock times so a killed worker's jobs are taken over within
 * seconds, and with CLOCK_AT a clock that starts at that instant (for digest times) and runs
 * on with real time. Prints "ready" once started.
 */
import { pino } from 'pino';
import { startApp, type Role } from '../../src/app/app.js';
import { parseConfig } from '../../src/config/config.js';
import { HttpRecordingNotifier } from './http-recording-notifier.js';

const config = parseConfig(process.env);
const startedAt = Date.now();
const clockAt = process.env.CLOCK_AT ? Date.parse(process.env.CLOCK_AT) : null;
const app = await startApp({
  config,
  logger: pino({ level: process.env.CHILD_LOG_LEVEL ?? 'silent' }),
  role: (process.env.ROLE ?? 'worker') as Role,
  ...(process.env.CHAT_URL ? { notifiers: [new HttpRecordingNotifier(process.env.CHAT_URL)] } : {}),
  fetchOptions: { retries: 0 },
  retry: { attempts: 10, backoffMs: 100, maxBackoffMs: 2_000 },
  tuning: { lockDurationMs: 2_000, stalledIntervalMs: 500, channelLockTtlMs: 2_000 },
  ...(clockAt !== null ? { now: () => new Date(clockAt + (Date.now() - startedAt)) } : {}),
});
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
