import type { ConsoleConfig } from '../../src/config/config-console.js';
import type { PlatformModule } from '../platform-module.js';
import { subscribeConsoleWithoutChat } from './console-channel.js';
import { ConsoleNotifier } from './console-notifier.js';

/** The console: alerts printed to standard output, by every process; nobody types there. */
export const platform: PlatformModule<ConsoleConfig> = {
  open: () =>
    Promise.resolve({
      notifier: new ConsoleNotifier(),
      // A bot started without any chat token shows its alerts here.
      whenNoChat: async (deps) => {
        await subscribeConsoleWithoutChat(deps);
      },
    }),
};
