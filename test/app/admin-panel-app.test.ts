import { describe, expect, it } from 'vitest';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { PanelClient } from './admin-panel-client.js';
import { ADMIN_TOKEN } from './admin-panel.fixture.js';

const FEED_URL = 'http://127.0.0.1:9/post';

describe('the control panel in the app', () => {
  it('is served by the web role with ADMIN_TOKEN, beside the queue dashboard', async () => {
    const bot = new PipelineHarness({
      feedUrl: FEED_URL,
      role: 'web',
      // No TOKEN_ENCRYPTION_KEY: the panel shows sources and channels without it.
      env: { ADMIN_TOKEN },
    });
    try {
      await bot.start();
      const client = new PanelClient(bot.httpUrl);
      const form = await client.get('/admin');
      expect(form.status).toBe(200);
      expect(form.html).toContain('관리 토큰');
      expect((await client.login()).status).toBe(303);

      const sources = await client.get('/admin/sources');
      expect(sources.status).toBe(200);
      expect(sources.html).toContain(`aria-label="소스 ${bot.sourceId}"`);
      expect((await client.get('/admin/channels')).status).toBe(200);

      // The session cookie is the panel's: the dashboard still asks for the token itself.
      const dashboard = await fetch(`${bot.httpUrl}/admin/queues/api/queues`, {
        headers: { cookie: client.cookie! },
      });
      expect(dashboard.status).toBe(401);
      const withToken = await fetch(`${bot.httpUrl}/admin/queues/api/queues`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(withToken.status).toBe(200);
    } finally {
      await bot.close();
    }
  });

  it.each([
    ['a worker, even with ADMIN_TOKEN', 'worker', { ADMIN_TOKEN }],
    ['the web role without ADMIN_TOKEN', 'web', {}],
  ] as const)('is not served by %s: /admin is 404', async (_what, role, env) => {
    const bot = new PipelineHarness({ feedUrl: FEED_URL, role, env });
    try {
      await bot.start();
      for (const path of ['/admin', '/admin/sources', '/admin/channels']) {
        expect((await fetch(`${bot.httpUrl}${path}`)).status).toBe(404);
      }
      const login = await fetch(`${bot.httpUrl}/admin/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: bot.httpUrl },
        body: new URLSearchParams({ token: ADMIN_TOKEN }).toString(),
      });
      expect(login.status).toBe(404);
    } finally {
      await bot.close();
    }
  });
});
