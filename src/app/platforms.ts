import type {
  CommandFrontend,
  CommandHooks,
  OpenPlatform,
  PlatformContext,
  PlatformModule,
} from '../../adapters/platform-module.js';
import type { CommandService } from '../commands/command-service.js';
import type { Config } from '../config/config.js';
import { PLATFORM_IDS, type Platform } from '../platforms/platform-registry.js';

/** Part of the composition root: the platforms the configuration turns on, opened. */
export type OpenPlatforms = ReadonlyMap<Platform, OpenPlatform>;

/**
 * Opens every platform this process is configured for, in the registry's order. Each one's
 * code, and its client libraries, are loaded only then.
 */
export async function openPlatforms(
  config: Config,
  context: Omit<PlatformContext<unknown>, 'config' | 'shared'>,
): Promise<OpenPlatforms> {
  const opened = new Map<Platform, OpenPlatform>();
  for (const id of PLATFORM_IDS) {
    const platformConfig = config[id];
    if (platformConfig === null) continue;
    const module = await loadPlatform(id);
    opened.set(
      id,
      await module.open({
        ...context,
        config: platformConfig,
        shared: {
          deliveryConcurrency: config.deliveryConcurrency,
          probeIntervalMs: config.probeIntervalMs,
          trustProxy: config.trustProxy,
        },
      }),
    );
  }
  return opened;
}

/**
 * A platform's code, found by its id: `adapters/<id>/platform.ts` exports `platform`. The
 * root names no platform; a test holds every registry entry to having its module.
 */
export async function loadPlatform(id: Platform): Promise<PlatformModule<unknown>> {
  // Not bundled or globbed by anyone (`@vite-ignore` keeps Vitest from trying): a plain import.
  const module = (await import(/* @vite-ignore */ `../../adapters/${id}/platform.js`)) as {
    platform?: PlatformModule<unknown>;
  };
  if (typeof module.platform?.open !== 'function') {
    throw new Error(`adapters/${id}/platform.ts does not export a platform module`);
  }
  return module.platform;
}

/**
 * Starts what receives `/news` on every opened platform that has people typing: Slack over HTTP
 * or Socket Mode, the Discord gateway bot and endpoint.
 */
export async function startCommandFrontends(
  platforms: OpenPlatforms,
  commands: CommandService,
  hooksFor: (platform: Platform) => CommandHooks,
): Promise<CommandFrontend> {
  const started: CommandFrontend[] = [];
  try {
    for (const [id, platform] of platforms) {
      if (platform.startCommands)
        started.push(await platform.startCommands(commands, hooksFor(id)));
    }
  } catch (error) {
    for (const frontend of started.reverse()) await frontend.close();
    throw error;
  }
  return {
    routes: started.flatMap((frontend) => frontend.routes),
    close: async () => {
      for (const frontend of [...started].reverse()) await frontend.close();
    },
  };
}
