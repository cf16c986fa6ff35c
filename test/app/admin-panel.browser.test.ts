import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ChannelRef } from '../../src/model/subscription.js';
import { describeNeeding, type Requirement } from '../support/requirements.js';
import {
  ADMIN_TOKEN,
  startPanel,
  startReceiver,
  type FakeReceiver,
  type PanelFixture,
} from './admin-panel.fixture.js';

/** Debian's Chromium (`apt-get install chromium`); `.ci/run` installs it. */
const CHROMIUM = '/usr/bin/chromium';

/** Found or not well before vitest's 30 s: a missing element fails with its name, not a timeout. */
const FIND_MS = 15_000;

/** An iPhone 12–15's viewport in CSS pixels. */
const PHONE = { width: 390, height: 844 };

const SLACK: ChannelRef = { platform: 'slack', workspaceId: 'T0001', channelId: 'C0001' };
const HOSTILE_KEYWORD = '<img src=x onerror=alert(1)>';
const RELAY: ChannelRef = { platform: 'webhook', workspaceId: 'destinations', channelId: 'relay' };
/** A destination of its own for the phone test, whatever the other tests did. */
const TEAM: ChannelRef = { platform: 'teams', workspaceId: 'destinations', channelId: 'esg-team' };

// A developer without Chromium sees the test skipped and why; CI (`.ci/run` sets
// REQUIRE_CHROMIUM=1 after installing it) runs it, and a missing browser fails there.
const chromiumInstalled: Requirement = {
  env: 'REQUIRE_CHROMIUM',
  available: existsSync(CHROMIUM),
  missing: `${CHROMIUM} is absent; apt-get install chromium`,
};

describeNeeding(chromiumInstalled, 'the control panel in a real browser', () => {
  let panel: PanelFixture;
  let receiver: FakeReceiver;
  let browser: Browser;
  /** What a page must never do: run script, or have its stylesheet refused by the CSP. */
  const dialogs: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    panel = await startPanel();
    receiver = await startReceiver();
    const at = panel.clock.now();
    await panel.stores.states.recordSuccess('esg', at, {});
    await panel.stores.states.recordFailure('moe', at, 'HTTP 503 from the board');
    await panel.stores.subscriptions.subscribe('esg', {
      ...SLACK,
      keywords: ['탄소', HOSTILE_KEYWORD],
      createdAt: at.toISOString(),
    });
    await panel.stores.destinations.put(TEAM, { url: receiver.url, secret: null }, at);
    await panel.stores.subscriptions.subscribe('moe', {
      ...TEAM,
      keywords: ['"탄소 중립"'],
      createdAt: at.toISOString(),
    });
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
    await receiver?.close();
    await panel?.close();
  });

  /** A fresh browser profile that reaches the panel's server and nothing else. */
  async function newPage(viewport = PHONE): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport, locale: 'ko-KR' });
    await context.route(
      (url) => url.origin !== panel.origin,
      (route) => route.abort(),
    );
    const page = await context.newPage();
    // A missing element fails with its name, well before vitest's 30 s.
    page.setDefaultTimeout(FIND_MS);
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    return { context, page };
  }

  async function logIn(page: Page): Promise<void> {
    await page.goto(`${panel.origin}/admin`);
    await page.getByLabel('관리 토큰').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: '로그인' }).click();
    await page.waitForURL(`${panel.origin}/admin/sources`, { timeout: FIND_MS });
  }

  /** The page is no wider than the viewport: nothing makes a phone scroll sideways. */
  async function expectNoSidewaysScroll(page: Page, where: string): Promise<void> {
    // Strings run in the page: this file is compiled without the DOM's types.
    const widths = await page.evaluate<{ content: number; viewport: number }>(
      '({ content: document.documentElement.scrollWidth, viewport: window.innerWidth })',
    );
    expect(widths.content, where).toBeLessThanOrEqual(widths.viewport);
  }

  it('logs in with the token and shows the sources and the channels, styled and without script', async () => {
    const { context, page } = await newPage({ width: 1280, height: 900 });
    try {
      await logIn(page);
      const esg = page.getByRole('region', { name: '소스 esg' });
      await esg.getByText('정상').waitFor({ timeout: FIND_MS });
      const moe = page.getByRole('region', { name: '소스 moe' });
      await moe.getByText('HTTP 503 from the board').waitFor({ timeout: FIND_MS });
      await expect(moe.getByText('실패 중').first().isVisible()).resolves.toBe(true);
      // The stylesheet ran: the CSP allowed its hash.
      const header = await page.evaluate<string>(
        "getComputedStyle(document.querySelector('header')).backgroundColor",
      );
      expect(header).toBe('rgb(22, 50, 79)');

      await page.getByRole('link', { name: '채널·목적지' }).click();
      const slack = page.getByRole('region', { name: '채널 slack T0001 C0001' });
      await slack.getByText('탄소', { exact: false }).first().waitFor({ timeout: FIND_MS });
      // The hostile keyword is shown as the text it is.
      await slack.getByText(HOSTILE_KEYWORD, { exact: false }).waitFor({ timeout: FIND_MS });
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.getByRole('link', { name: '큐 대시보드' }).getAttribute('href')).toBe(
        '/admin/queues',
      );
      expect(dialogs).toEqual([]);
      expect(consoleErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('adds a destination, sends a test alert and shows the answer, then the failure and the BROKEN badge', async () => {
    const { context, page } = await newPage();
    try {
      await logIn(page);
      await page.getByRole('link', { name: '목적지 추가' }).first().click();
      await page.getByLabel('종류', { exact: true }).selectOption('webhook');
      await page.getByLabel('이름').fill('relay');
      await page.getByLabel('웹훅 주소').fill(receiver.url);
      await page.getByLabel('소스', { exact: true }).selectOption('esg');
      await page.getByLabel('키워드').fill('탄소 -해외');
      await page.getByRole('button', { name: '저장' }).click();

      await page.getByText('목적지를 추가했습니다').waitFor({ timeout: FIND_MS });
      const secret = await page.getByLabel('서명 비밀값').textContent();
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      await expectNoSidewaysScroll(page, 'the saved destination');

      await page.getByRole('button', { name: '테스트 알림 보내기' }).click();
      await page.getByText('테스트 알림을 보냈습니다').waitFor({ timeout: FIND_MS });
      expect(await page.getByText('HTTP 200').count()).toBe(1);
      expect(await page.getByLabel('목적지의 응답').textContent()).toBe('{"ok":true}');
      expect(receiver.received).toHaveLength(1);

      receiver.answer = { status: 404, body: 'webhook not found' };
      await page.getByRole('button', { name: '테스트 알림 보내기' }).click();
      await page.getByText('테스트 알림이 실패했습니다').waitFor({ timeout: FIND_MS });
      expect(await page.getByLabel('실패 내용').textContent()).toContain(
        'HTTP 404: webhook not found',
      );
      await expectNoSidewaysScroll(page, 'a failed test');

      // The delivery path marks a destination that answers 404 broken; here the store does.
      await panel.stores.destinations.markBroken(
        RELAY,
        'HTTP 404: webhook not found',
        panel.clock.now(),
      );
      await page.getByRole('link', { name: '채널·목적지' }).click();
      const card = page.getByRole('region', { name: '목적지 webhook relay' });
      await card.getByText('BROKEN').waitFor({ timeout: FIND_MS });
      await card.getByText('HTTP 404: webhook not found', { exact: false }).waitFor();
      expect(await card.getByText('127.0.0.1', { exact: false }).count()).toBe(1);
      expect(await page.content()).not.toContain('secret-path-0123456789');
      await expectNoSidewaysScroll(page, 'the channels with a broken destination');
      expect(dialogs).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('fits a phone: no page scrolls sideways and every button is at least 44 px tall', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${panel.origin}/admin`);
      await expectNoSidewaysScroll(page, 'the login form');
      await logIn(page);
      const pages = [
        '/admin/sources',
        '/admin/channels',
        '/admin/destinations/new',
        '/admin/destinations/view?platform=teams&name=esg-team',
        '/admin/destinations/confirm-removal?platform=teams&name=esg-team',
      ];
      for (const path of pages) {
        const response = await page.goto(`${panel.origin}${path}`);
        expect(response?.status(), path).toBe(200);
        await expectNoSidewaysScroll(page, path);
        const heights = await page.evaluate<number[]>(
          "[...document.querySelectorAll('button, a.button, nav a')].map((e) => e.getBoundingClientRect().height)",
        );
        expect(heights.length, path).toBeGreaterThan(0);
        expect(Math.min(...heights), path).toBeGreaterThanOrEqual(44);
      }
    } finally {
      await context.close();
    }
  });
});
