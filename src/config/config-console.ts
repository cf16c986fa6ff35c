import { platformSection } from './platform-section.js';

/**
 * The console's part of the configuration: none. Every process can print, so it is always
 * configured; alerts go to it when the deployment has no chat platform.
 */
export const consoleSection = platformSection({
  variables: {},
  read: (): ConsoleConfig => ({}),
  deliveryRate: () => null,
});

export type ConsoleConfig = Record<string, never>;
