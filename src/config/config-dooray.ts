import { destinationSection } from './config-destinations.js';

/**
 * Dooray!'s part of the configuration: incoming hooks, added by the operator. Dooray! documents
 * no rate limit; one message a second to one hook stays well clear of any.
 */
export const dooraySection = destinationSection({ spacingMs: 1_000 });
