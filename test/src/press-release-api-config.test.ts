import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { configSecrets, parseConfig } from '../../src/config/config.js';
import { redactText } from '../../src/config/secrets.js';
import { followSourceUrl, PRESS_RELEASE_API_REFUSAL } from '../../src/sources/follow-source-url.js';
import { isPressReleaseApiUrl } from '../../src/sources/press-release-api.js';
import { LIMITS, subscription } from '../contracts/follow-fixtures.js';
import { MemoryFollowBook } from '../doubles/memory-follow-book.js';
import { MemorySourceRegistry } from '../doubles/memory-source-registry.js';
import { MemorySubscriptionStore } from '../doubles/memory-subscription-store.js';

/** The 정책브리핑 API's configuration: its key in its variable only, and never from chat. */

const API = 'https://apis.data.go.kr/1371000/pressReleaseService/pressReleaseList';
const ENCODED_KEY = 'Zx9%2Bq%2Fw3Rt%3D%3D';
const DECODED_KEY = 'Zx9+q/w3Rt==';

function problemsOf(env: Record<string, string>): string {
  try {
    parseConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

describe('the 정책브리핑 API in the configuration', () => {
  it('knows its URL whatever the case of scheme and host, with the operator’s own parameters', () => {
    expect(isPressReleaseApiUrl(API)).toBe(true);
    expect(
      isPressReleaseApiUrl(
        `HTTP://APIS.Data.Go.Kr/1371000/pressReleaseService/pressReleaseList/?numOfRows=50`,
      ),
    ).toBe(true);
    expect(
      isPressReleaseApiUrl('https://apis.data.go.kr/1371000/policyNewsService/policyNewsList'),
    ).toBe(false);
    expect(isPressReleaseApiUrl('https://www.korea.kr/rss/dept_mcee.xml')).toBe(false);
  });

  it('refuses to start without DATA_GO_KR_SERVICE_KEY when a source reads the API', () => {
    expect(problemsOf({ SOURCES: `briefing=${API}` })).toMatch(
      /DATA_GO_KR_SERVICE_KEY: a source reads the 정책브리핑 API .*data\.go\.kr/,
    );
    expect(
      problemsOf({ FEED_URL: API.replace('https://apis.data.go.kr', 'HTTPS://APIS.DATA.GO.KR') }),
    ).toMatch(/DATA_GO_KR_SERVICE_KEY/);
    const config = parseConfig({
      SOURCES: `esg=https://k-esg.org/post briefing=${API}`,
      DATA_GO_KR_SERVICE_KEY: ENCODED_KEY,
    });
    expect(config.pressReleaseApiKey).toBe(ENCODED_KEY);
    expect(config.sources.map((s) => s.name)).toEqual(['esg', 'briefing']);
    // Not needed, and not asked for, without such a source.
    expect(parseConfig({}).pressReleaseApiKey).toBeUndefined();
  });

  it('refuses a serviceKey in the URL, pointing at the variable, without echoing the key', () => {
    const inSources = problemsOf({
      SOURCES: `briefing=${API}?serviceKey=${ENCODED_KEY}`,
      DATA_GO_KR_SERVICE_KEY: ENCODED_KEY,
    });
    expect(inSources).toMatch(
      /briefing: the 정책브리핑 API's serviceKey must not be in the URL.*DATA_GO_KR_SERVICE_KEY/,
    );
    const inFeedUrl = problemsOf({ FEED_URL: `${API}?ServiceKey=${DECODED_KEY}` });
    expect(inFeedUrl).toMatch(/FEED_URL: the 정책브리핑 API's serviceKey must not be in the URL/);
    for (const said of [inSources, inFeedUrl]) {
      expect(said).not.toContain('Zx9');
    }
  });

  it('redacts the key from logs in its encoded and its decoded form', () => {
    const secrets = configSecrets({ DATA_GO_KR_SERVICE_KEY: ENCODED_KEY });
    expect(secrets.keys).toContain('pressreleaseapikey');
    const line = `{"msg":"read","a":"${ENCODED_KEY}","b":"${DECODED_KEY}","c":"${encodeURIComponent(DECODED_KEY)}"}`;
    const redacted = redactText(line, secrets.values);
    expect(redacted).not.toContain('Zx9');
  });
});

describe('the 정책브리핑 API from chat', () => {
  function deps(probed: string[]) {
    const book = new MemoryFollowBook();
    const registry = new MemorySourceRegistry(book);
    return {
      registry,
      deps: {
        registry,
        subscriptions: new MemorySubscriptionStore(book),
        configured: [{ name: 'briefing', url: API }],
        limits: LIMITS,
        probe: (url: string) => {
          probed.push(url);
          return Promise.resolve({ ok: true as const, title: null, kind: 'feed' as const });
        },
        startPolling: () => Promise.resolve(),
        logger: pino({ level: 'silent' }),
      },
    };
  }

  it('is refused in Korean before any request: it would spend the operator’s key', async () => {
    const probed: string[] = [];
    const { deps: follow } = deps(probed);
    const outcome = await followSourceUrl(
      { ...follow, configured: [] },
      `${API}?serviceKey=MYKEY&numOfRows=10`,
      subscription('T1', 'C1'),
    );
    expect(outcome).toEqual({ kind: 'refused', reason: PRESS_RELEASE_API_REFUSAL });
    expect(PRESS_RELEASE_API_REFUSAL).toMatch(/운영자의 서비스 키.*\/news 소스/);
    expect(probed).toEqual([]);
  });

  it('follows the operator’s API source when its very URL is given', async () => {
    const probed: string[] = [];
    const { registry, deps: follow } = deps(probed);
    await registry.syncConfigured([{ name: 'briefing', url: API }]);
    const outcome = await followSourceUrl(follow, API, subscription('T1', 'C1'));
    expect(outcome).toMatchObject({ kind: 'followed', source: { name: 'briefing' } });
    expect(probed).toEqual([]);
  });
});
