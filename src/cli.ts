#!/usr/bin/env node
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { CommanderError } from 'commander';
import { CliError, type Output } from './cli/cli-output.js';
import { openCliServices } from './app/cli-services.js';
import { buildProgram, type CliServices } from './cli/program.js';
import { ImportRejectedError } from './cli/subscriptions-import.js';
import { ConfigError, configSecrets, loadDotEnv, parseConfig } from './config/config.js';
import { redactText } from './config/secrets.js';

/**
 * Entry of the operator CLI (`npm run cli -- <command>`, or `esg-news-bot <command>` once
 * installed): reads the command line, opens the services (`cli/cli-services.ts`) and turns
 * failures into one line on stderr and an exit code: 0 done, 1 the request failed (an
 * unknown source, Redis unreachable), 2 the command line or the configuration is wrong.
 */
async function main(argv: readonly string[]): Promise<number> {
  loadDotEnv();
  const connection = new CliConnection();
  const secrets = configSecrets(process.env).values;
  const program = buildProgram({
    services: () => connection.open(),
    output: ({ json }) => consoleOutput(json, secrets),
    readText: (file, maxBytes) =>
      readCapped(file === '-' ? process.stdin : createReadStream(file), maxBytes),
    writeText: (file, text) => writeFile(file, text, 'utf8'),
  });
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    return reportFailure(error, program.opts<{ json?: boolean }>().json === true, secrets);
  } finally {
    await connection.close();
  }
}

/** The services, opened by the first command that needs them (`--help` needs none). */
class CliConnection {
  private services: Awaited<ReturnType<typeof openCliServices>> | null = null;

  async open(): Promise<CliServices> {
    // Read here, not at start, so `--help` works whatever the configuration says.
    this.services ??= await openCliServices(parseConfig(process.env));
    return this.services;
  }

  async close(): Promise<void> {
    await this.services?.close();
  }
}

function consoleOutput(json: boolean, secrets: readonly string[]): Output {
  return {
    json,
    write: (text) => void process.stdout.write(text),
    warn: (text) => void process.stderr.write(`warning: ${text}\n`),
    redact: (text) => redactText(text, secrets),
  };
}

/** One clear message on stderr (and, for `--json`, the problems as JSON on stdout); the exit code. */
function reportFailure(error: unknown, json: boolean, secrets: readonly string[]): number {
  // Commander has printed its own message (or the help it was asked for).
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const message = redactText(error instanceof Error ? error.message : String(error), secrets);
  process.stderr.write(`error: ${message}\n`);
  if (json && error instanceof ImportRejectedError) {
    process.stdout.write(
      `${JSON.stringify({ error: 'invalid', problems: error.problems }, null, 2)}\n`,
    );
  }
  return error instanceof CliError ? error.exitCode : 1;
}

/**
 * The stream's text, or `null` as soon as it passes `maxBytes`: a huge file or pipe is never
 * held whole (see `CliRuntime.readText`).
 */
async function readCapped(stream: Readable, maxBytes: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream) {
    bytes += (chunk as Buffer).length;
    if (bytes > maxBytes) {
      stream.destroy();
      return null;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

// The exit code is set, not forced: a forced exit could cut a long export short on a pipe.
process.exitCode = await main(process.argv);
