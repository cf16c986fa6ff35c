import { destinationPlatform } from '../destinations/destination-platform.js';
import { jandiFormat } from './jandi-format.js';

/**
 * JANDI: topics reached through incoming webhooks the operator adds by URL
 * (`destinations add jandi <url> --name <name>`); nobody types commands there.
 */
export const platform = destinationPlatform('jandi', jandiFormat);
