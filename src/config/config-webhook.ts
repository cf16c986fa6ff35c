import { destinationSection } from './config-destinations.js';

/**
 * Signed webhooks' part of the configuration: any HTTPS endpoint (n8n, Zapier, Make, an
 * in-house system), added by the operator with its secret. Receivers state their own limits;
 * a tenth of a second between messages to one endpoint keeps a burst from flooding a small one.
 */
export const webhookSection = destinationSection({ spacingMs: 100 });
