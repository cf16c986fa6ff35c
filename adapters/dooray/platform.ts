import { destinationPlatform } from '../destinations/destination-platform.js';
import { doorayFormat } from './dooray-format.js';

/**
 * Dooray!: chat rooms reached through incoming hooks the operator adds by URL
 * (`destinations add dooray <url> --name <name>`); nobody types commands there.
 */
export const platform = destinationPlatform('dooray', doorayFormat);
