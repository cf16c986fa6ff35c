import { RedisLoginLimiter } from '../../adapters/http/admin-panel/login-limiter.js';
import { adminPanelRoutes } from '../../adapters/http/admin-panel/panel-routes.js';
import type { PanelReaders } from '../../adapters/http/admin-panel/panel-data.js';
import { RedisAdminSessions } from '../../adapters/http/admin-panel/session-store.js';
import type { Route } from '../../adapters/http/http-server.js';
import { knownSources } from '../cli/known-sources.js';
import type { Config } from '../config/config.js';
import { buildDestinationService, type DestinationServiceWiring } from './destination-services.js';

export interface AdminPanelWiring extends DestinationServiceWiring {
  config: DestinationServiceWiring['config'] & Pick<Config, 'pollRhythms'>;
  /** `ADMIN_TOKEN`. */
  token: string;
  /** The stores the panel reads besides the destination service's. */
  readers: Omit<PanelReaders, 'sources' | 'subscriptions' | 'schedules' | 'deliveryLog'>;
  now: () => Date;
  onError: (error: unknown) => void;
}

/**
 * Part of the composition root: the control panel's routes on the app's Redis stores, with
 * the destination service the CLI uses, so both check destinations alike.
 */
export function adminPanel(wiring: AdminPanelWiring): Route[] {
  const { config, redis, keys, now } = wiring;
  return adminPanelRoutes({
    token: wiring.token,
    trustProxy: config.trustProxy,
    sessions: new RedisAdminSessions(redis, keys, { now }),
    loginLimiter: new RedisLoginLimiter(redis, keys, { now }),
    readers: {
      ...wiring.readers,
      // With configured sources not yet registered, as the CLI and the destination service see them.
      sources: () => knownSources({ registry: wiring.registry, configured: config.sources }),
      subscriptions: wiring.subscriptions,
      schedules: wiring.schedules,
      deliveryLog: wiring.deliveryLog,
    },
    destinations: buildDestinationService(wiring),
    pollRhythms: config.pollRhythms,
    now,
    onError: wiring.onError,
  });
}
