import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { jandiFormat } from '../../../adapters/jandi/jandi-format.js';
import { sampleMessage } from '../../../src/model/news-message.js';
import { FakeJandi, JANDI_ACCEPT_HEADER } from '../../support/fake-jandi.js';
import { hookFixture } from '../../support/fake-webhook-fixture.js';

describe('JANDI incoming webhooks', () => {
  let jandi: FakeJandi;

  beforeEach(async () => {
    jandi = await new FakeJandi().start();
  });

  afterEach(async () => {
    await jandi.close();
  });

  it('sends the Accept and Content-Type JANDI requires on every message', async () => {
    const { notifier, room } = hookFixture('jandi', jandiFormat, jandi);
    const { channel, url } = await room('esg-topic');
    let clock = Date.UTC(2026, 11, 7);
    jandi.now = () => (clock += 1_000);
    await notifier.send(channel, sampleMessage(new Date(clock)), 'alert-1');
    await notifier.sendNotice(
      channel,
      {
        kind: 'recovered',
        sourceId: 'esg',
        sourceUrl: 'https://www.korea.kr/rss',
        since: '2026-12-06T00:00:00Z',
        error: null,
      },
      'notice-1',
    );
    const requests = jandi.requests(url);
    expect(requests.map((r) => r.answer)).toEqual([200, 200]);
    for (const { headers } of requests) {
      expect(headers.accept).toBe(JANDI_ACCEPT_HEADER);
      expect(headers['content-type']).toBe('application/json');
    }
  });

  it('is refused by JANDI without its Accept header, as the guide warns', async () => {
    const { room } = hookFixture('jandi', jandiFormat, jandi);
    const { url } = await room('esg-topic');
    const answer = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ body: '안녕하세요' }),
    });
    expect(answer.statusCode).toBe(400);
    expect(await answer.body.text()).toContain('Accept');
    expect(jandi.received(url)).toEqual([]);
  });
});
