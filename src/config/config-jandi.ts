import { destinationSection } from './config-destinations.js';

/**
 * JANDI's part of the configuration: incoming webhooks, added by the operator. JANDI documents
 * no rate limit; one message a second to one topic stays well clear of any.
 */
export const jandiSection = destinationSection({ spacingMs: 1_000 });
