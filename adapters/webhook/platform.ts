import { destinationPlatform } from '../destinations/destination-platform.js';
import { webhookFormat } from './webhook-format.js';

/**
 * Signed webhooks: any HTTPS endpoint (n8n, Zapier, Make, an in-house system) gets each alert
 * as a versioned JSON event signed the Standard Webhooks way (see `webhook-format.ts`).
 */
export const platform = destinationPlatform('webhook', webhookFormat);
