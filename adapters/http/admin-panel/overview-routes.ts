import { isPlatform } from '../../../src/platforms/platform-registry.js';
import type { Route } from '../http-server.js';
import { channelsPage } from './channels-page.js';
import { PANEL_PATHS } from './layout.js';
import { viewRoute, type AdminPanelDeps } from './panel-context.js';
import { readChannels, readSourceHealth } from './panel-data.js';
import { sendPage } from './panel-response.js';
import { queryOf } from './request-guard.js';
import { sourcesPage } from './sources-page.js';

/** The most chat channels one channels page reads, unless the deps say otherwise. */
const CHANNEL_LIMIT = 300;

/** The pages that only show: the sources' health, and every channel and destination. */
export function overviewRoutes(deps: AdminPanelDeps): Route[] {
  return [
    viewRoute(deps, PANEL_PATHS.sources, async ({ res, session }) => {
      const health = await readSourceHealth(deps.readers, deps.now());
      sendPage(
        res,
        200,
        sourcesPage(health, {
          csrfToken: session.csrfToken,
          pollRhythms: deps.pollRhythms,
          now: deps.now(),
        }),
      );
    }),
    viewRoute(deps, PANEL_PATHS.channels, async ({ req, res, session }) => {
      const asked = queryOf(req).get('platform') ?? '';
      const platform = isPlatform(asked) ? asked : undefined;
      const limit = deps.channelLimit ?? CHANNEL_LIMIT;
      const [listing, destinations] = await Promise.all([
        readChannels(deps.readers, { platform, limit }),
        deps.destinations.list(),
      ]);
      sendPage(
        res,
        200,
        channelsPage({ listing, destinations, platform, limit }, session.csrfToken),
      );
    }),
  ];
}
