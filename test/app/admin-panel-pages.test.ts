import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { koreaDateTime, type Post } from '../../src/model/post.js';
import type { ChannelRef } from '../../src/model/subscription.js';
import { PanelClient } from './admin-panel-client.js';
import {
  startPanel,
  startReceiver,
  type FakeReceiver,
  type PanelFixture,
} from './admin-panel.fixture.js';

const HOSTILE_TITLE = '<script>alert("source")</script>';
const HOSTILE_KEYWORD = '<script>alert("keyword")</script>';
const HOSTILE_EXCLUSION = '-"><img src=x onerror=alert(2)>';
const HOSTILE_ERROR = '<img src=x onerror=alert(3)> HTTP 503';
const HOSTILE_REASON = '</dd><script>alert(4)</script>';

const SLACK: ChannelRef = { platform: 'slack', workspaceId: 'T0001', channelId: 'C0001' };
const CONSOLE: ChannelRef = { platform: 'console', workspaceId: 'local', channelId: 'console' };

function post(boardNo: number): Post {
  return {
    sourceId: 'esg',
    boardNo,
    title: `보도자료 ${boardNo}`,
    ministry: '환경부',
    date: '2026-11-30',
    url: `https://k-esg.org/post/${boardNo}`,
    originalUrl: null,
  };
}

let panel: PanelFixture;
let client: PanelClient;

/** What a page must never hold: any tag or attribute the hostile values above carry. */
function expectNoHostileMarkup(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<img/i);
  // Inside a tag; as escaped text (`&lt;img … onerror=…&gt;`) it is only shown.
  expect(html).not.toMatch(/<[^>]*onerror/i);
}

describe('the control panel’s pages show what the stores know, every value escaped', () => {
  beforeAll(async () => {
    panel = await startPanel();
    const { stores, clock } = panel;
    const at = clock.now();
    await stores.registry.describe('esg', { displayName: HOSTILE_TITLE, kind: 'board' });
    await stores.states.recordSuccess('esg', at, {});
    await stores.states.advanceCursor('esg', 1652);
    await stores.archive.save([post(1651), post(1652)], at);
    await stores.states.recordSuccess('moe', new Date(at.getTime() - 7_200_000), {});
    await stores.states.recordFailure(
      'moe',
      new Date(at.getTime() - 3_600_000),
      HOSTILE_ERROR,
      new Date(at.getTime() + 30 * 60_000),
    );
    await panel.queues.schedulePolling('esg', 300_000, 'config');
    await stores.subscriptions.subscribe('esg', {
      ...SLACK,
      keywords: [HOSTILE_KEYWORD, HOSTILE_EXCLUSION],
      createdAt: at.toISOString(),
    });
    await stores.subscriptions.subscribe('moe', {
      ...SLACK,
      keywords: [],
      createdAt: at.toISOString(),
    });
    await stores.subscriptions.subscribe('esg', {
      ...CONSOLE,
      keywords: [],
      createdAt: at.toISOString(),
    });
    await stores.schedules.set(SLACK, {
      digest: { times: ['09:00', '18:00'], weekdaysOnly: true },
      quiet: { start: '22:00', end: '07:00' },
    });
    await stores.deliveryLog.recordDelivered(
      { sourceId: 'esg', boardNo: 1651, channel: SLACK },
      at,
    );
    await stores.deliveryLog.recordUndeliverable(
      { sourceId: 'esg', boardNo: 1652, channel: SLACK },
      'refused',
      HOSTILE_REASON,
      at,
    );
    await stores.platformStates.markUnauthorized('slack', at, 'invalid_auth');
  });

  afterAll(async () => {
    await panel.close();
  });

  beforeEach(async () => {
    client = new PanelClient(panel.origin);
    expect((await client.login()).status).toBe(303);
  });

  it('lists every source with its last read, failure, next read and archive', async () => {
    const { status, html } = await client.get('/admin/sources');
    expect(status).toBe(200);
    expect(html).toContain('소스 2개');
    // The hostile title as text, never as markup.
    expect(html).toContain('&lt;script&gt;alert(&quot;source&quot;)&lt;/script&gt;');
    expectNoHostileMarkup(html);

    const esg = section(html, '소스 esg');
    expect(esg).toContain('정상');
    expect(esg).toContain(`<dt>마지막 확인</dt><dd>${koreaDateTime(panel.clock.now())}</dd>`);
    expect(esg).toContain('<dt>최신 번호</dt><dd>1652</dd>');
    expect(esg).toContain('<dt>보관한 글</dt><dd>2개</dd>');
    expect(esg).toContain('<dt>구독</dt><dd>2곳</dd>');
    const [poll] = await panel.queues.scheduledPolls();
    expect(poll?.next).toBeInstanceOf(Date);
    expect(esg).toContain(`<dt>다음 확인</dt><dd>${koreaDateTime(poll!.next!)} 이후</dd>`);

    const moe = section(html, '소스 moe');
    expect(moe).toContain('실패 중');
    const since = koreaDateTime(new Date(panel.clock.ms - 3_600_000));
    expect(moe).toContain(`${since}부터<br />&lt;img src=x onerror=alert(3)&gt; HTTP 503`);
    // Not polled here, but the source asked to wait: the wait is when it is read next.
    expect(moe).toContain(`${koreaDateTime(new Date(panel.clock.ms + 30 * 60_000))} 이후`);
    expect(moe).toContain('<dt>보관한 글</dt><dd>0개</dd>');
  });

  it('lists every subscribed channel with its subscriptions, schedule, last alert and failures', async () => {
    const { status, html } = await client.get('/admin/channels');
    expect(status).toBe(200);
    expectNoHostileMarkup(html);
    expect(html).toContain('Slack: ');
    expect(html).toContain('봇의 토큰을 거부해');

    const slack = section(html, '채널 slack T0001 C0001');
    expect(slack).toContain('&lt;script&gt;alert(&quot;keyword&quot;)&lt;/script&gt;');
    expect(slack).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(slack).toContain('<code>moe</code> · 모든 새 글');
    expect(slack).toContain('요약 평일 09:00, 18:00 · 방해금지 22:00–07:00');
    expect(slack).toContain(`esg 1651번 (${koreaDateTime(panel.clock.now())})`);
    expect(slack).toContain('거부 1건 · 포기 0건');
    expect(slack).toContain('&lt;/dd&gt;&lt;script&gt;alert(4)&lt;/script&gt;');

    const console = section(html, '채널 console local console');
    expect(console).toContain('새 글이 나오는 대로 바로');
    expect(console).toContain('아직 없음');
  });

  it('narrows the channels to one platform', async () => {
    const { html } = await client.get('/admin/channels?platform=console');
    expect(html).toContain('채널 console local console');
    expect(html).not.toContain('채널 slack T0001 C0001');
  });
});

describe('the control panel’s destination pages over HTTP', () => {
  let receiver: FakeReceiver;

  beforeEach(async () => {
    panel = await startPanel();
    receiver = await startReceiver();
    client = new PanelClient(panel.origin);
    await client.login();
    await client.get('/admin/destinations/new');
  });

  afterEach(async () => {
    await receiver.close();
    await panel.close();
  });

  it('refuses a bad URL in Korean, keeping what was typed but the URL and the secret', async () => {
    const answer = await client.post('/admin/destinations/add', {
      platform: 'webhook',
      name: 'esg-relay',
      url: 'ftp://user:pw@example.com/hook',
      source: 'moe',
      keywords: '탄소 -해외 "탄소 중립"',
      secret: 'a-secret-that-must-not-come-back',
    });
    expect(answer.status).toBe(422);
    expect(answer.html).toContain('주소는 https로 시작하는 공개 주소여야 합니다');
    expect(answer.html).toContain('name="url"');
    expect(answer.html).toContain('aria-invalid="true"');
    expect(answer.html).toContain('value="esg-relay"');
    expect(answer.html).toContain('value="탄소 -해외 &quot;탄소 중립&quot;"');
    expect(answer.html).toMatch(/<option\s+value="moe"\s+selected/);
    expect(answer.html).not.toContain('ftp://');
    expect(answer.html).not.toContain('a-secret-that-must-not-come-back');
    expect(answer.html).not.toContain('DestinationError');
    expect(await panel.stores.destinations.list()).toEqual([]);
  });

  it.each([
    ['a name that is not one', { name: 'Bad Name!' }, '이름은 영어 소문자'],
    ['a short secret', { secret: 'short' }, '16자 이상'],
    ['a secret for Teams', { platform: 'teams', secret: 'a'.repeat(20) }, '웹훅 목적지에만'],
    ['keywords it cannot read', { keywords: '"탄소' }, '키워드를 읽을 수 없습니다'],
    ['an unknown source', { source: 'nope' }, '그런 이름의 소스가 없습니다'],
  ])('refuses %s in Korean', async (_what, change, text) => {
    const answer = await client.post('/admin/destinations/add', {
      platform: 'webhook',
      name: 'esg-relay',
      url: receiver.url,
      source: 'esg',
      keywords: '',
      secret: '',
      ...change,
    });
    expect(answer.status).toBe(422);
    expect(answer.html).toContain(text);
  });

  it('adds a webhook, shows its generated secret once, and never its URL', async () => {
    const added = await client.post('/admin/destinations/add', {
      platform: 'webhook',
      name: 'esg-relay',
      url: receiver.url,
      source: 'esg',
      keywords: '탄소',
      secret: '',
    });
    expect(added.status).toBe(200);
    expect(added.html).toContain('목적지를 추가했습니다');
    const secret = /<code class="secret"[^>]*>([^<]+)<\/code>/.exec(added.html)?.[1];
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(
      (await panel.stores.destinations.secrets(destination('webhook', 'esg-relay')))?.secret,
    ).toBe(secret);
    expect(added.html).not.toContain('secret-path-0123456789');

    for (const path of [
      '/admin/channels',
      '/admin/destinations/view?platform=webhook&name=esg-relay',
    ]) {
      const { html } = await client.get(path);
      expect(html).toContain('esg-relay');
      expect(html).toContain('127.0.0.1');
      expect(html).toContain('…6789');
      expect(html).not.toContain('secret-path-0123456789');
      expect(html).not.toContain(secret);
    }

    // Saved again under its name: replaced, and no new secret is made when one is given.
    await client.get('/admin/destinations/new?platform=webhook&name=esg-relay');
    const replaced = await client.post('/admin/destinations/add', {
      platform: 'webhook',
      name: 'esg-relay',
      url: `${receiver.url}-new`,
      source: 'esg',
      keywords: 'ESG',
      secret: 'an-operator-chosen-secret',
    });
    expect(replaced.html).toContain('목적지를 바꿨습니다');
    expect(replaced.html).not.toContain('class="secret"');
    expect(replaced.html).toContain('키워드: ESG');
  });

  it('sends a test alert and shows the destination’s answer, then its failure', async () => {
    await addRelay();
    const ok = await client.post('/admin/destinations/test', {
      platform: 'webhook',
      name: 'esg-relay',
    });
    expect(ok.status).toBe(200);
    expect(ok.html).toContain('테스트 알림을 보냈습니다');
    expect(ok.html).toContain('HTTP 200');
    expect(ok.html).toContain('{&quot;ok&quot;:true}');
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.text).toContain('esg-news-bot 알림 연결 확인');

    receiver.answer = { status: 404, body: '<h1>No webhook</h1> here' };
    const failed = await client.post('/admin/destinations/test', {
      platform: 'webhook',
      name: 'esg-relay',
    });
    expect(failed.status).toBe(200);
    expect(failed.html).toContain('테스트 알림이 실패했습니다');
    expect(failed.html).toContain('웹훅이 지워졌거나');
    expect(failed.html).toContain('HTTP 404');
    expectNoHostileMarkup(failed.html);
    expect(failed.html).not.toContain('<h1>No webhook');
  });

  it('sets and turns off a destination’s digest and quiet hours, refusing what is no time', async () => {
    await addRelay();
    const ids = { platform: 'webhook', name: 'esg-relay' };
    const set = await client.post('/admin/destinations/schedule', {
      ...ids,
      digest: '18:00, 9:00',
      weekdays: '1',
      quietStart: '22:00',
      quietEnd: '07:00',
    });
    expect(set.status).toBe(200);
    expect(set.html).toContain('받는 방식을 저장했습니다');
    expect(await panel.stores.schedules.get(destination('webhook', 'esg-relay'))).toEqual({
      digest: { times: ['09:00', '18:00'], weekdaysOnly: true },
      quiet: { start: '22:00', end: '07:00' },
    });

    const bad = await client.post('/admin/destinations/schedule', { ...ids, digest: '25:00' });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('‘25:00’는 시각이 아닙니다');
    const half = await client.post('/admin/destinations/schedule', { ...ids, quietStart: '22:00' });
    expect(half.status).toBe(422);
    expect(half.html).toContain('시작과 끝 시각을 모두');

    await client.post('/admin/destinations/schedule', {
      ...ids,
      digest: '',
      quietStart: '',
      quietEnd: '',
    });
    expect(await panel.stores.schedules.get(destination('webhook', 'esg-relay'))).toBeNull();
  });

  it('removes a destination only after the confirmation page', async () => {
    await addRelay();
    const confirm = await client.get(
      '/admin/destinations/confirm-removal?platform=webhook&name=esg-relay',
    );
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain('삭제할까요?');
    expect(await panel.stores.destinations.list()).toHaveLength(1);

    const unconfirmed = await client.post('/admin/destinations/remove', {
      platform: 'webhook',
      name: 'esg-relay',
    });
    expect(unconfirmed.html).toContain('삭제할까요?');
    expect(await panel.stores.destinations.list()).toHaveLength(1);

    const removed = await client.post('/admin/destinations/remove', {
      platform: 'webhook',
      name: 'esg-relay',
      confirm: 'yes',
    });
    expect(removed.status).toBe(200);
    expect(removed.html).toContain('삭제했습니다');
    expect(await panel.stores.destinations.list()).toEqual([]);
    expect(
      await panel.stores.subscriptions.followedBy(destination('webhook', 'esg-relay')),
    ).toEqual([]);

    const again = await client.get('/admin/destinations/view?platform=webhook&name=esg-relay');
    expect(again.status).toBe(404);
    expect(again.html).toContain('그런 목적지가 없습니다');
  });

  async function addRelay(): Promise<void> {
    const added = await client.post('/admin/destinations/add', {
      platform: 'webhook',
      name: 'esg-relay',
      url: receiver.url,
      source: 'esg',
      keywords: '',
      secret: '',
    });
    expect(added.status).toBe(200);
  }
});

function destination(platform: 'webhook' | 'teams', name: string): ChannelRef {
  return { platform, workspaceId: 'destinations', channelId: name };
}

/**
 * The `<section>` a page labels `label`, for assertions about one card, its white space
 * collapsed (none between tags) as a browser would lay it out.
 */
function section(html: string, label: string): string {
  const start = html.indexOf(`aria-label="${label}"`);
  expect(start, `a section labelled ${label}`).toBeGreaterThan(-1);
  return html
    .slice(start, html.indexOf('</section>', start))
    .replace(/>\s+</g, '><')
    .replace(/\s+/g, ' ');
}
