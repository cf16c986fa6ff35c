import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { PanelClient } from './admin-panel-client.js';
import { ADMIN_TOKEN, startPanel, type PanelFixture } from './admin-panel.fixture.js';

const HOUR = 3_600_000;

let panel: PanelFixture | undefined;

afterEach(async () => {
  await panel?.close();
  panel = undefined;
});

async function open(env: Record<string, string> = {}): Promise<PanelFixture> {
  panel = await startPanel(env);
  return panel;
}

async function loggedIn(fixture: PanelFixture, headers: Record<string, string> = {}) {
  const client = new PanelClient(fixture.origin, headers);
  const login = await client.login();
  expect(login.status).toBe(303);
  expect(client.cookie).not.toBeNull();
  await client.get('/admin/sources');
  return client;
}

describe('the control panel: logging in', () => {
  it('shows a Korean login form for phones at /admin, with strict headers', async () => {
    const { origin } = await open();
    const response = await fetch(`${origin}/admin`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain('<html lang="ko">');
    expect(html).toContain('name="viewport" content="width=device-width, initial-scale=1"');
    expect(html).toContain('관리 토큰');
    expect(html).toMatch(/<input\s+id="token"\s+type="password"\s+name="token"/);
    expect(html).not.toContain('<script');
  });

  it('refuses a wrong token with 401 and no cookie', async () => {
    const { origin } = await open();
    const client = new PanelClient(origin);
    const answer = await client.login('not-the-admin-token-at-all');
    expect(answer.status).toBe(401);
    expect(answer.headers.get('set-cookie')).toBeNull();
    expect(answer.html).toContain('토큰이 맞지 않습니다');
    expect(answer.html).not.toContain('not-the-admin-token-at-all');
    expect((await client.get('/admin/sources')).status).toBe(303);
  });

  it('sets an HttpOnly, SameSite=Strict session cookie under /admin holding a random id, not the token', async () => {
    const fixture = await open();
    const client = new PanelClient(fixture.origin);
    const answer = await client.login();
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/admin/sources');
    const cookie = answer.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^esg_admin_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain('Path=/admin');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain(`Max-Age=${12 * 3600}`);
    // Plain HTTP and no trusted proxy: a Secure cookie would never come back.
    expect(cookie).not.toContain('Secure');
    expect(cookie).not.toContain(ADMIN_TOKEN);

    // Redis holds the id's hash, with the session's expiry, and neither the id nor the token.
    const id = client.cookie!.split('=')[1]!;
    const keys = await fixture.redis.redis.keys(`${fixture.redis.prefix}:admin:session:*`);
    const hash = createHash('sha256').update(id).digest('base64url');
    expect(keys).toEqual([fixture.keys.adminSession(hash)]);
    const stored = (await fixture.redis.redis.get(keys[0]!))!;
    expect(stored).not.toContain(id);
    expect(stored).not.toContain(ADMIN_TOKEN);
    const ttl = await fixture.redis.redis.pttl(keys[0]!);
    expect(ttl).toBeGreaterThan(11 * HOUR);
    expect(ttl).toBeLessThanOrEqual(12 * HOUR);

    const sources = await client.get('/admin/sources');
    expect(sources.status).toBe(200);
    expect(sources.html).toContain('로그아웃');
  });

  it('marks the cookie Secure when a trusted proxy says the browser came over HTTPS, and only then', async () => {
    const fixture = await open({ TRUST_PROXY: 'true' });
    const behindTls = new PanelClient(fixture.origin, { 'x-forwarded-proto': 'https' });
    expect((await behindTls.login()).headers.get('set-cookie')).toMatch(/; Secure$/);
    // The client's own words before the proxy's entry are not believed.
    const spoofed = new PanelClient(fixture.origin, { 'x-forwarded-proto': 'https, http' });
    expect((await spoofed.login()).headers.get('set-cookie')).not.toContain('Secure');
    await panel!.close();

    const untrusted = await open();
    const client = new PanelClient(untrusted.origin, { 'x-forwarded-proto': 'https' });
    expect((await client.login()).headers.get('set-cookie')).not.toContain('Secure');
  });

  it('ends a session 12 hours after login, by the clock, not by Redis alone', async () => {
    const fixture = await open();
    const client = await loggedIn(fixture);
    fixture.clock.advance(12 * HOUR - 60_000);
    expect((await client.get('/admin/channels')).status).toBe(200);
    fixture.clock.advance(60_000);
    const after = await client.get('/admin/channels');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/admin');
    // A change with the ended session asks for a login again and changes nothing.
    const change = await client.post(
      '/admin/destinations/add',
      { platform: 'teams', name: 'late', url: 'http://127.0.0.1:9/x' },
      { csrf: 'whatever' },
    );
    expect(change.status).toBe(401);
    expect(change.html).toContain('로그인이 끝났습니다');
    expect(await fixture.stores.destinations.list()).toEqual([]);
  });

  it('logs out: the cookie is cleared and the session is gone from Redis', async () => {
    const fixture = await open();
    const client = await loggedIn(fixture);
    const session = client.cookie!;
    const answer = await client.post('/admin/logout', {});
    expect(answer.status).toBe(200);
    expect(answer.headers.get('set-cookie')).toMatch(
      /^esg_admin_session=; Path=\/admin; Max-Age=0/,
    );
    expect(answer.html).toContain('로그아웃했습니다');
    expect(await fixture.redis.redis.keys(`${fixture.redis.prefix}:admin:session:*`)).toEqual([]);
    const replayed = new PanelClient(fixture.origin);
    replayed.cookie = session;
    expect((await replayed.get('/admin/sources')).status).toBe(303);
  });

  it('ignores a forged or malformed session cookie', async () => {
    const { origin } = await open();
    for (const forged of ['esg_admin_session=' + 'A'.repeat(43), 'esg_admin_session=../../x']) {
      const client = new PanelClient(origin);
      client.cookie = forged;
      expect((await client.get('/admin/sources')).status).toBe(303);
    }
  });
});

describe('the control panel: changes need the session’s CSRF token and the panel’s origin', () => {
  const add = {
    platform: 'teams',
    name: 'esg-team',
    url: 'http://127.0.0.1:9/hook',
    source: 'esg',
  };

  it.each([
    ['no CSRF token', { csrf: null }],
    ['a wrong CSRF token', { csrf: 'x'.repeat(43) }],
  ] as const)('refuses a change with %s (403) and changes nothing', async (_what, options) => {
    const fixture = await open();
    const client = await loggedIn(fixture);
    const answer = await client.post('/admin/destinations/add', add, options);
    expect(answer.status).toBe(403);
    expect(answer.html).toContain('요청을 확인하지 못했습니다');
    expect(await fixture.stores.destinations.list()).toEqual([]);
  });

  it('refuses another session’s CSRF token', async () => {
    const fixture = await open();
    const mine = await loggedIn(fixture);
    const theirs = await loggedIn(fixture);
    const answer = await mine.post('/admin/destinations/add', add, { csrf: theirs.csrfToken() });
    expect(answer.status).toBe(403);
    expect(await fixture.stores.destinations.list()).toEqual([]);
  });

  it.each([
    ['another site’s Origin', { origin: 'http://evil.example' }],
    ['another site’s Referer and no Origin', { origin: null, referer: 'http://evil.example/x' }],
    ['neither Origin nor Referer', { origin: null }],
  ] as const)(
    'refuses a change with %s (403), even with the right token',
    async (_what, options) => {
      const fixture = await open();
      const client = await loggedIn(fixture);
      const answer = await client.post('/admin/destinations/add', add, options);
      expect(answer.status).toBe(403);
      expect(answer.html).toContain('다른 사이트에서 보낸 요청');
      expect(await fixture.stores.destinations.list()).toEqual([]);
    },
  );

  it('takes the change with the token and the panel’s own Referer', async () => {
    const fixture = await open();
    const client = await loggedIn(fixture);
    const answer = await client.post('/admin/destinations/add', add, {
      origin: null,
      referer: `${fixture.origin}/admin/destinations/new`,
    });
    expect(answer.status).toBe(200);
    expect((await fixture.stores.destinations.list()).map((d) => d.channel.channelId)).toEqual([
      'esg-team',
    ]);
  });

  it('refuses a login another site posts', async () => {
    const { origin } = await open();
    const client = new PanelClient(origin);
    const answer = await client.post(
      '/admin/login',
      { token: ADMIN_TOKEN },
      { csrf: null, origin: 'http://evil.example' },
    );
    expect(answer.status).toBe(403);
    expect(client.cookie).toBeNull();
  });

  it('refuses a body that is not a form post (415)', async () => {
    const fixture = await open();
    const client = await loggedIn(fixture);
    const response = await fetch(`${fixture.origin}/admin/destinations/add`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: fixture.origin,
        cookie: client.cookie!,
      },
      body: JSON.stringify({ ...add, csrf: client.csrfToken() }),
    });
    expect(response.status).toBe(415);
    expect(await fixture.stores.destinations.list()).toEqual([]);
  });
});

describe('the control panel: failed logins per client', () => {
  it('refuses the 11th login in 15 minutes after 10 wrong tokens, even the right token, until the window passes', async () => {
    const fixture = await open();
    const client = new PanelClient(fixture.origin);
    for (let i = 0; i < 10; i++) expect((await client.login(`wrong-guess-${i}`)).status).toBe(401);
    const refused = await client.login();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe(String(15 * 60));
    expect(refused.html).toContain('로그인 시도가 너무 많습니다. 15분 뒤에');
    expect(client.cookie).toBeNull();

    fixture.clock.advance(15 * 60_000 - 1);
    expect((await client.login()).status).toBe(429);
    fixture.clock.advance(1);
    expect((await client.login()).status).toBe(303);
  });

  it('lets no more than 10 of a burst of guesses sent at once through', async () => {
    const fixture = await open();
    const answers = await Promise.all(
      Array.from({ length: 25 }, (_, i) => new PanelClient(fixture.origin).login(`guess-${i}`)),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });

  it('does not count successful logins, and counts each client apart behind a trusted proxy', async () => {
    const fixture = await open({ TRUST_PROXY: 'true' });
    const operator = new PanelClient(fixture.origin, { 'x-forwarded-for': '203.0.113.7' });
    for (let i = 0; i < 12; i++) expect((await operator.login()).status).toBe(303);

    const guesser = new PanelClient(fixture.origin, { 'x-forwarded-for': '198.51.100.9' });
    for (let i = 0; i < 10; i++) await guesser.login(`wrong-${i}`);
    expect((await guesser.login()).status).toBe(429);
    // A different address it names first is its own word; the proxy's entry is what counts.
    const disguised = new PanelClient(fixture.origin, {
      'x-forwarded-for': '192.0.2.1, 198.51.100.9',
    });
    expect((await disguised.login()).status).toBe(429);
    expect((await operator.login()).status).toBe(303);
  });
});
