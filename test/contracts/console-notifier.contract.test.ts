import { ConsoleNotifier } from '../../adapters/console/console-notifier.js';
import { describeNotifierContract, type NotifierHarness } from './notifier.contract.js';

describeNotifierContract('Console', consoleHarness);

/**
 * The `ConsoleNotifier` printing into memory. A terminal shows no message ids, cannot change
 * what it printed (a correction is printed again, see the adapter's own test), reads no
 * markup and never refuses: the contract's other parts do not apply.
 */
function consoleHarness(): NotifierHarness {
  const printed: string[] = [];
  let channels = 0;
  return {
    start: () => Promise.resolve(new ConsoleNotifier((text) => printed.push(text))),
    close: () => Promise.resolve(),
    channel: () => ({ platform: 'console', workspaceId: 'local', channelId: `demo-${++channels}` }),
    // Each write is one message, headed `[channel]`.
    shown: (channel) =>
      printed
        .filter((text) => text.startsWith(`\n[${channel.channelId}] `))
        .map((text) => ({ id: null, text: text.trim(), rich: false })),
    unsafe: () => [],
    requests: () => [],
    faults: {},
    waitOut: () => Promise.resolve(),
    missingMessageId: 'never-printed',
    supports: { messageIds: false, inPlaceEdits: false, dedupesRetries: false, neverFails: true },
  };
}
