import type { Route } from '../http-server.js';
import { destinationRoutes } from './destination-routes.js';
import { loginRoutes } from './login-routes.js';
import { overviewRoutes } from './overview-routes.js';
import type { AdminPanelDeps } from './panel-context.js';

export type { AdminPanelDeps } from './panel-context.js';

/**
 * The control panel at `/admin`: plain server-rendered forms, one exact-path route of the
 * bot's {@link Route} kind per page or change. The server reads and limits every body before
 * a route runs, and its paths never overlap the queue dashboard's `/admin/queues`.
 */
export function adminPanelRoutes(deps: AdminPanelDeps): Route[] {
  return [...loginRoutes(deps), ...overviewRoutes(deps), ...destinationRoutes(deps)];
}
