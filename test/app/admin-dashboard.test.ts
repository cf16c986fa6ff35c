import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_NAMES } from '../../jobs/queues.js';
import { PLATFORM_IDS } from '../../src/platforms/platform-registry.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import {
  ADMIN_TOKEN,
  FAILURE_REASON,
  startDashboard,
  type DashboardFixture,
} from './admin-dashboard.fixture.js';

const CHALLENGE = 'Basic realm="esg-news-bot admin", charset="UTF-8"';
const BEARER = { authorization: `Bearer ${ADMIN_TOKEN}` };

function basic(user: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

const EVERY_QUEUE = [
  QUEUE_NAMES.poll,
  QUEUE_NAMES.pollChat,
  QUEUE_NAMES.fanOut,
  QUEUE_NAMES.maintenance,
  ...PLATFORM_IDS.map((p) => QUEUE_NAMES.deliver(p)),
].sort();

interface QueueListing {
  queues: Array<{ name: string; jobs: Array<{ id: string; failedReason?: string }> }>;
}

describe('the queue dashboard over HTTP', () => {
  let dashboard: DashboardFixture;
  let url: (path: string) => string;

  beforeAll(async () => {
    dashboard = await startDashboard();
    url = (path) => `${dashboard.origin}/admin/queues${path}`;
  });

  afterAll(async () => {
    await dashboard.close();
  });

  it.each(['', '/', '/api/queues', '/static/favicon-32x32.png', '/queue/deliver-slack'])(
    'answers /admin/queues%s without credentials with 401 and a Basic challenge',
    async (path) => {
      const response = await fetch(url(path));
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(CHALLENGE);
    },
  );

  it.each([
    ['a wrong bearer token', { authorization: 'Bearer not-the-admin-token-at-all' }],
    ['a wrong Basic password', basic('admin', 'not-the-admin-token-at-all')],
    ['the token as Basic user name', basic(ADMIN_TOKEN, '')],
    ['the token without a scheme', { authorization: ADMIN_TOKEN }],
    ['an unknown scheme', { authorization: `Token ${ADMIN_TOKEN}` }],
  ])('refuses %s with 401', async (_what, headers) => {
    const response = await fetch(url('/api/queues'), { headers });
    expect(response.status).toBe(401);
  });

  it('serves the page and its static files to the bearer token', async () => {
    const page = await fetch(url(''), { headers: BEARER });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const html = await page.text();
    // The page's relative links resolve under the mount point.
    expect(html).toContain('<base href="/admin/queues/"');

    const script = /src="(static\/js\/main\.[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(url(`/${script}`), { headers: BEARER });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  });

  it("keeps static files within bull-board's folder", async () => {
    const escape = url('/static/..%2f..%2f..%2f..%2f..%2f..%2fpackage.json');
    expect((await fetch(escape, { headers: BEARER })).status).toBe(404);
  });

  it('lists every queue and the failed delivery to the token as Basic password, any user', async () => {
    const response = await fetch(url('/api/queues?activeQueue=deliver-slack&status=failed'), {
      headers: basic('whoever', ADMIN_TOKEN),
    });
    expect(response.status).toBe(200);
    const listing = (await response.json()) as QueueListing;
    expect(listing.queues.map((q) => q.name).sort()).toEqual(EVERY_QUEUE);
    const slack = listing.queues.find((q) => q.name === 'deliver-slack');
    expect(slack?.jobs.map((job) => job.failedReason)).toEqual([FAILURE_REASON]);
  });

  it('takes a JSON body for a change: adding a job through the dashboard', async () => {
    const response = await fetch(url('/api/queues/maintenance/add'), {
      method: 'POST',
      headers: { ...BEARER, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'from-dashboard', data: { note: 'added by hand' } }),
    });
    expect(response.status).toBe(200);
    const waiting = await dashboard.queues.maintenance.getWaiting();
    expect(waiting.map((job) => [job.name, job.data as unknown])).toEqual([
      ['from-dashboard', { note: 'added by hand' }],
    ]);
  });

  it.each([
    ['an Origin of another site', { origin: 'http://evil.example' }],
    ['an opaque Origin', { origin: 'null' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
  ])('refuses a change a browser marks with %s, with 403', async (_what, headers) => {
    const response = await fetch(url('/api/queues/poll/add'), {
      method: 'POST',
      headers: { ...BEARER, 'content-type': 'text/plain', ...headers },
      body: JSON.stringify({ name: 'forged', data: {} }),
    });
    expect(response.status).toBe(403);
    expect(await dashboard.queues.poll.getJobCounts('waiting')).toEqual({ waiting: 0 });
  });

  it("retries the failed delivery from the dashboard's own page (same origin)", async () => {
    const slack = dashboard.queues.deliver.slack;
    const [failed] = await slack.getFailed();
    const response = await fetch(
      url(`/api/queues/deliver-slack/${encodeURIComponent(failed!.id!)}/retry`),
      {
        method: 'PUT',
        headers: { ...BEARER, origin: dashboard.origin, 'sec-fetch-site': 'same-origin' },
      },
    );
    expect(response.status).toBe(204);
    expect(await slack.getJobState(failed!.id!)).toBe('waiting');
  });

  it('answers paths beside the mount point 404 and methods it does not take 405', async () => {
    expect((await fetch(`${dashboard.origin}/admin/queuesx`, { headers: BEARER })).status).toBe(
      404,
    );
    expect((await fetch(`${dashboard.origin}/admin`, { headers: BEARER })).status).toBe(404);
    const remove = await fetch(url('/api/queues'), { method: 'DELETE', headers: BEARER });
    expect(remove.status).toBe(405);
    expect(dashboard.errors).toEqual([]);
  });
});

describe('the dashboard in the app', () => {
  it('is served by the web role with ADMIN_TOKEN: 401 without it, every queue with it', async () => {
    const bot = new PipelineHarness({
      feedUrl: 'http://127.0.0.1:9/post',
      role: 'web',
      env: { ADMIN_TOKEN },
    });
    try {
      await bot.start();
      const listing = `${bot.httpUrl}/admin/queues/api/queues`;
      expect((await fetch(listing)).status).toBe(401);
      const response = await fetch(listing, { headers: BEARER });
      expect(response.status).toBe(200);
      const { queues } = (await response.json()) as QueueListing;
      expect(queues.map((q) => q.name).sort()).toEqual(EVERY_QUEUE);
    } finally {
      await bot.close();
    }
  });

  it('is not served by a worker, even with ADMIN_TOKEN', async () => {
    const bot = new PipelineHarness({
      feedUrl: 'http://127.0.0.1:9/post',
      role: 'worker',
      env: { ADMIN_TOKEN },
    });
    try {
      await bot.start();
      const response = await fetch(`${bot.httpUrl}/admin/queues`, { headers: BEARER });
      expect(response.status).toBe(404);
    } finally {
      await bot.close();
    }
  });
});

describe('the web role without ADMIN_TOKEN', () => {
  it('serves no dashboard: /admin/queues and below are 404', async () => {
    const bot = new PipelineHarness({ feedUrl: 'http://127.0.0.1:9/post', role: 'web' });
    try {
      await bot.start();
      for (const path of ['/admin/queues', '/admin/queues/api/queues']) {
        const response = await fetch(`${bot.httpUrl}${path}`, { headers: BEARER });
        expect(response.status).toBe(404);
      }
    } finally {
      await bot.close();
    }
  });
});
