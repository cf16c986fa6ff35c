import { authorizationMatches } from './auth.js';
import { reply, type Route } from './http-server.js';

export interface MetricsRouteOptions {
  /** The exposition text and its content type (Prometheus text format). */
  render: () => Promise<{ contentType: string; body: string }>;
  /** When set, a scrape must send `Authorization: Bearer <token>` (`METRICS_TOKEN`). */
  token?: string | undefined;
}

/**
 * `GET /metrics` for Prometheus. The server is reachable from the internet, and the series
 * name sources and queue sizes, so a configured token is asked for; a wrong or missing one is
 * answered 401 before anything is read from Redis.
 */
export function metricsRoute(options: MetricsRouteOptions): Route {
  const { token } = options;
  return {
    method: 'GET',
    path: '/metrics',
    handler: async (req, res) => {
      if (token !== undefined && !authorizationMatches(req, token, ['bearer'])) {
        res.setHeader('www-authenticate', 'Bearer realm="metrics"');
        reply(res, 401, { error: 'unauthorized' });
        return;
      }
      const { contentType, body } = await options.render();
      res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
      res.end(body);
    },
  };
}
