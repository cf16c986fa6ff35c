import { PLATFORMS } from '../../src/platforms/platform-registry.js';

/**
 * The `workspaceId` the bot files a Discord direct message under, which belongs to no server;
 * each DM conversation is then a tenant of its own (see `tenantOf`).
 */
export const DIRECT_MESSAGES = PLATFORMS.discord.directMessagesWorkspace;
