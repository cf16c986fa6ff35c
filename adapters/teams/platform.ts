import { destinationPlatform } from '../destinations/destination-platform.js';
import { teamsFormat } from './teams-format.js';

/**
 * Microsoft Teams: channels reached through Workflows webhooks the operator adds by URL
 * (`destinations add teams <url> --name <name>`); nobody types commands there.
 */
export const platform = destinationPlatform('teams', teamsFormat);
