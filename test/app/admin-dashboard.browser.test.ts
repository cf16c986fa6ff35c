import { existsSync } from 'node:fs';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
} from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { QUEUE_NAMES } from '../../jobs/queues.js';
import { PLATFORM_IDS } from '../../src/platforms/platform-registry.js';
import {
  ADMIN_TOKEN,
  FAILURE_REASON,
  startDashboard,
  type DashboardFixture,
} from './admin-dashboard.fixture.js';
import { describeNeeding, type Requirement } from '../support/requirements.js';

/** Debian's Chromium (`apt-get install chromium`); `.ci/run` installs it. */
const CHROMIUM = '/usr/bin/chromium';

/** Found or not well before vitest's 30 s: a missing element fails with its name, not a timeout. */
const FIND_MS = 15_000;

const CHALLENGE = 'Basic realm="esg-news-bot admin", charset="UTF-8"';

const EVERY_QUEUE = [
  QUEUE_NAMES.poll,
  QUEUE_NAMES.fanOut,
  QUEUE_NAMES.maintenance,
  ...PLATFORM_IDS.map((p) => QUEUE_NAMES.deliver(p)),
];

// A developer without Chromium sees the test skipped and why; CI (`.ci/run` sets
// REQUIRE_CHROMIUM=1 after installing it) runs it, and a missing browser fails there.
const chromiumInstalled: Requirement = {
  env: 'REQUIRE_CHROMIUM',
  available: existsSync(CHROMIUM),
  missing: `${CHROMIUM} is absent; apt-get install chromium`,
};

describeNeeding(chromiumInstalled, 'the queue dashboard in a real browser', () => {
  let dashboard: DashboardFixture;
  let browser: Browser;

  beforeAll(async () => {
    dashboard = await startDashboard();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        // Chromium otherwise calls Google's services, which this machine cannot reach.
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
  });

  /** A fresh browser profile that reaches the dashboard's server and nothing else. */
  async function newContext(options: BrowserContextOptions = {}): Promise<BrowserContext> {
    const context = await browser.newContext(options);
    // The page links Google Fonts; offline it would only wait for DNS.
    await context.route(
      (url) => url.origin !== dashboard.origin,
      (route) => route.abort(),
    );
    return context;
  }

  it('gets 401 and a Basic challenge without credentials, and no page', async () => {
    const context = await newContext();
    try {
      const page = await context.newPage();
      const url = `${dashboard.origin}/admin/queues`;
      const [response, navigation] = await Promise.all([
        page.waitForResponse(url),
        page.goto(url).then(
          () => 'loaded',
          (error: Error) => error.message,
        ),
      ]);
      expect(response.status()).toBe(401);
      expect(await response.headerValue('www-authenticate')).toBe(CHALLENGE);
      // Where a person would get a password prompt, automated Chromium has no one to ask
      // and abandons the navigation.
      expect(navigation).toMatch(/ERR_INVALID_AUTH_CREDENTIALS/);
    } finally {
      await context.close();
    }
  });

  it('gets 401 and no dashboard with a wrong password', async () => {
    const context = await newContext({
      httpCredentials: { username: 'operator', password: 'a-guess-that-is-long-enough' },
    });
    try {
      const page = await context.newPage();
      // Chromium answers the challenge once, is refused again and shows the 401 itself.
      const response = await page.goto(`${dashboard.origin}/admin/queues`);
      expect(response?.status()).toBe(401);
      expect(await page.textContent('body')).toContain('unauthorized');
      expect(await page.getByText('deliver-slack').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('lists every queue and shows the failed delivery, given the token as Basic password', async () => {
    const context = await newContext({
      httpCredentials: { username: 'operator', password: ADMIN_TOKEN },
    });
    try {
      const page = await context.newPage();
      const response = await page.goto(`${dashboard.origin}/admin/queues`);
      expect(response?.status()).toBe(200);
      for (const name of EVERY_QUEUE) {
        await page.getByText(name, { exact: true }).first().waitFor({ timeout: FIND_MS });
      }

      await page.goto(`${dashboard.origin}/admin/queues/queue/deliver-slack?status=failed`);
      await page.getByText(FAILURE_REASON).first().waitFor({ timeout: FIND_MS });
      expect(dashboard.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('lists every queue given the token as a bearer header', async () => {
    const context = await newContext({
      extraHTTPHeaders: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    try {
      const page = await context.newPage();
      const response = await page.goto(`${dashboard.origin}/admin/queues`);
      expect(response?.status()).toBe(200);
      for (const name of EVERY_QUEUE) {
        await page.getByText(name, { exact: true }).first().waitFor({ timeout: FIND_MS });
      }
    } finally {
      await context.close();
    }
  });
});
