import { describe, expect, it } from 'vitest';
import type { PlatformModule } from '../../adapters/platform-module.js';
import { platform as consolePlatform } from '../../adapters/console/platform.js';
import { platform as discordPlatform } from '../../adapters/discord/platform.js';
import { platform as doorayPlatform } from '../../adapters/dooray/platform.js';
import { platform as jandiPlatform } from '../../adapters/jandi/platform.js';
import { platform as slackPlatform } from '../../adapters/slack/platform.js';
import { platform as teamsPlatform } from '../../adapters/teams/platform.js';
import { platform as telegramPlatform } from '../../adapters/telegram/platform.js';
import { platform as webhookPlatform } from '../../adapters/webhook/platform.js';
import { loadPlatform } from '../../src/app/platforms.js';
import {
  PLATFORM_IDS,
  PLATFORMS,
  type Platform,
  type PlatformConfigOf,
} from '../../src/platforms/platform-registry.js';

/**
 * Every registry entry's module, typed against its config: a new platform id makes the
 * compiler point here until `adapters/<id>/platform.ts` exists and fits its section.
 */
const MODULES = {
  slack: slackPlatform,
  discord: discordPlatform,
  console: consolePlatform,
  telegram: telegramPlatform,
  teams: teamsPlatform,
  jandi: jandiPlatform,
  dooray: doorayPlatform,
  webhook: webhookPlatform,
} satisfies { [P in Platform]: PlatformModule<PlatformConfigOf<P>> };

describe('the platform registry', () => {
  it('loads each platform’s module by its id, as the composition root does', async () => {
    for (const id of PLATFORM_IDS) {
      expect(await loadPlatform(id)).toBe(MODULES[id]);
    }
  });

  it('describes every platform once: a config section, id shapes, and a credential variable for chat and destination platforms', () => {
    for (const id of PLATFORM_IDS) {
      const entry = PLATFORMS[id];
      expect(typeof entry.config.read).toBe('function');
      expect(entry.ids.workspaceId.pattern).toBeInstanceOf(RegExp);
      // A chat platform has a credential a refused start can name, a destination platform the
      // key its URLs are sealed with; the console has none.
      expect(entry.tokenVariable === null).toBe(!entry.chat && !entry.destinations);
    }
  });
});
