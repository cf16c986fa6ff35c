import { destinationSection } from './config-destinations.js';

/**
 * Microsoft Teams' part of the configuration: Workflows webhooks, added by the operator. Teams
 * throttles a webhook above about four requests a second: a quarter second between messages.
 */
export const teamsSection = destinationSection({ spacingMs: 250 });
