import type { IncomingMessage } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { getRequestListener } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Queue } from 'bullmq';
import { Hono } from 'hono';
import { authorizationMatches, basicChallenge } from './auth.js';
import { reply, type Route } from './http-server.js';

/** Where the web role serves the dashboard. */
export const ADMIN_DASHBOARD_PATH = '/admin/queues';

/** The protection space a browser remembers the dashboard's credentials for. */
export const ADMIN_REALM = 'esg-news-bot admin';

export interface AdminDashboardOptions {
  /** Every queue to show (`PipelineQueues.all()`). */
  queues: readonly Queue[];
  /** `ADMIN_TOKEN`: asked for as a bearer token or as the password of HTTP Basic. */
  token: string;
  /** Default {@link ADMIN_DASHBOARD_PATH}. */
  basePath?: string | undefined;
  /** Errors the dashboard did not answer itself (bull-board answers its own handlers' errors). */
  onError?: ((error: unknown) => void) | undefined;
}

/**
 * The bull-board queue dashboard as one route of {@link HttpServer}: the page, its static files
 * and its API, every path under `basePath`, all behind the admin token. bull-board has no
 * adapter for bare `node:http`, so its Hono adapter runs inside the route through
 * `@hono/node-server`'s request listener, which takes the body the server has already read
 * (`rawBody`) instead of reading the consumed stream again. The dashboard can change queues
 * (retry, clean, promote, add), so those requests get the default body limit of 64 KiB.
 */
export function adminDashboardRoute(options: AdminDashboardOptions): Route {
  const basePath = options.basePath ?? ADMIN_DASHBOARD_PATH;
  const serverAdapter = new HonoAdapter(serveStatic).setBasePath(basePath);
  createBullBoard({
    queues: options.queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'esg-news-bot' } },
  });
  const app = new Hono().route(basePath, serverAdapter.registerPlugin());
  app.onError((error, c) => {
    options.onError?.(error);
    return c.json({ error: 'internal error' }, 500);
  });
  // Not the defaults: those replace the process's global Request and Response with Hono's,
  // and drain a request body that the server has already read.
  const listener = getRequestListener(app.fetch, {
    overrideGlobalObjects: false,
    autoCleanupIncoming: false,
  });

  return {
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH'],
    path: basePath,
    prefix: true,
    handler: async (req, res) => {
      // Static files too: the page is no secret, but nothing under the path is served to a
      // stranger, so nothing there can be probed.
      if (!authorizationMatches(req, options.token, ['bearer', 'basic'])) {
        res.setHeader('www-authenticate', basicChallenge(ADMIN_REALM));
        reply(res, 401, { error: 'unauthorized' });
        return;
      }
      if (comesFromAnotherSite(req)) {
        reply(res, 403, { error: 'cross-site request refused' });
        return;
      }
      // Its buttons empty and obliterate queues: no foreign page may frame it to steer clicks.
      res.setHeader('x-frame-options', 'DENY');
      await listener(req, res);
    },
  };
}

/**
 * Whether a browser says this request that changes something was started by another site. A
 * browser sends the Basic credentials it remembers with every request to this origin, also
 * one a foreign page triggers (a form posted to `…/api/queues/poll/add`), so the token alone
 * does not show that the operator meant it. Clients other than browsers send neither header
 * and are judged by the token alone.
 */
function comesFromAnotherSite(req: IncomingMessage): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return false;
  // Sent by current browsers, but only to HTTPS origins and localhost.
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  // Only the host is compared: behind a TLS-terminating proxy the scheme differs.
  return !URL.canParse(origin) || new URL(origin).host !== req.headers.host;
}
