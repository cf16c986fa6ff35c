import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { FakeDooray } from './fake-dooray.js';
import { FakeJandi, JANDI_ACCEPT_HEADER } from './fake-jandi.js';
import { FakeTeams, TEAMS_LIMIT_BYTES } from './fake-teams.js';
import type { FakeWebhookServer } from './fake-webhook-server.js';

/**
 * The fakes refuse what their platforms refuse: a fake that took anything would let a
 * renderer pass the contract with messages the real platform would drop.
 */

const fakes: Array<FakeWebhookServer<unknown>> = [];

afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

async function started<F extends FakeWebhookServer<unknown>>(fake: F): Promise<F> {
  fakes.push(fake);
  return fake.start();
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const answer = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: answer.statusCode, headers: answer.headers, text: await answer.body.text() };
}

const card = (body: unknown[], version = '1.4', extra: Record<string, unknown> = {}) => ({
  type: 'message',
  attachments: [
    {
      contentType: 'application/vnd.microsoft.card.adaptive',
      contentUrl: null,
      content: { type: 'AdaptiveCard', version, body, ...extra },
    },
  ],
});
const text = (value: string) => ({ type: 'TextBlock', text: value, wrap: true });

describe('fake Teams', () => {
  it('takes a valid card with 202 and shows its text', async () => {
    const teams = await started(new FakeTeams());
    const url = teams.addHook();
    const answer = await post(url, card([text('안녕하세요')]));
    expect(answer.status).toBe(202);
    expect(answer.text).toBe('');
    expect(teams.shown(url)).toEqual([{ text: '안녕하세요', rich: false }]);
  });

  it.each([
    ['a message of another type', { ...card([text('x')]), type: 'card' }, 'type'],
    ['no attachments', { type: 'message', attachments: [] }, 'attachments'],
    [
      'another content type',
      { type: 'message', attachments: [{ contentType: 'text/plain', content: {} }] },
      'contentType',
    ],
    ['a version Teams does not render', card([text('x')], '1.6'), 'version'],
    [
      'an element newer than the card',
      card([{ type: 'RichTextBlock', inlines: ['x'] }], '1.0'),
      'needs version 1.2',
    ],
    ['an element Teams does not know', card([{ type: 'Carousel', pages: [] }]), 'Carousel'],
    ['a TextBlock without text', card([{ type: 'TextBlock', text: ' ' }]), 'text'],
    ['a fact without a value', card([{ type: 'FactSet', facts: [{ title: '날짜' }] }]), 'fact'],
    [
      'Action.Submit',
      card([text('x')], '1.4', { actions: [{ type: 'Action.Submit', title: '보내기' }] }),
      'Action.Submit',
    ],
    [
      'an OpenUrl to javascript:',
      card([text('x')], '1.4', {
        actions: [{ type: 'Action.OpenUrl', url: 'javascript:alert(1)' }],
      }),
      'url',
    ],
    ['an unknown size', card([{ ...text('x'), size: 'huge' }]), 'size'],
  ])('refuses %s with 400', async (_what, body, reason) => {
    const teams = await started(new FakeTeams());
    const url = teams.addHook();
    const answer = await post(url, body);
    expect(answer.status).toBe(400);
    expect(answer.text).toContain(reason);
    expect(teams.received(url)).toEqual([]);
  });

  it('refuses a body over 28 KB with 413, and a body not sent as JSON', async () => {
    const teams = await started(new FakeTeams());
    const url = teams.addHook();
    const big = card([text('가'.repeat(TEAMS_LIMIT_BYTES / 3))]);
    expect((await post(url, big)).status).toBe(413);
    expect((await post(url, card([text('x')]), { 'content-type': 'text/plain' })).status).toBe(400);
  });

  it('throttles a hook above four requests a second with 429 and Retry-After, not another hook', async () => {
    const teams = await started(new FakeTeams());
    let clock = 1_000_000;
    teams.now = () => clock;
    const [busy, quiet] = [teams.addHook(), teams.addHook()];
    for (let i = 0; i < 4; i++) expect((await post(busy, card([text(`${i}`)]))).status).toBe(202);
    const limited = await post(busy, card([text('다섯째')]));
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect((await post(quiet, card([text('다른 채널')]))).status).toBe(202);
    clock += 1_000;
    expect((await post(busy, card([text('1초 뒤')]))).status).toBe(202);
    // Sixty in thirty seconds: the sixty-first waits even at four a second.
    for (let i = 0; i < 55; i++) {
      clock += 250;
      expect((await post(busy, card([text(`${i}`)]))).status).toBe(202);
    }
    clock += 250;
    expect((await post(busy, card([text('61')]))).status).toBe(429);
  });

  it('answers 404 for an unknown hook and 405 for anything but POST', async () => {
    const teams = await started(new FakeTeams());
    const url = teams.addHook();
    expect((await post(`${teams.url}/powerautomate/nothing`, card([text('x')]))).status).toBe(404);
    expect((await request(url, { method: 'GET' })).statusCode).toBe(405);
  });
});

describe('fake JANDI', () => {
  const headers = { accept: JANDI_ACCEPT_HEADER };

  it('takes the guide’s own example', async () => {
    const jandi = await started(new FakeJandi());
    const url = jandi.addHook();
    const example = {
      body: '[[PizzaHouse]](http://url_to_text) You have a new Pizza order.',
      connectColor: '#FAC11B',
      connectInfo: [
        { title: 'Topping', description: 'Pepperoni' },
        {
          title: 'Location',
          description: 'Empire State Building, 5th Ave, New York',
          imageUrl: 'http://url_to_text',
        },
      ],
    };
    expect((await post(url, example, headers)).status).toBe(200);
    expect(jandi.hazards(url)).toEqual([]);
  });

  it.each([
    ['no body', { connectColor: '#FAC11B' }, 'body'],
    ['a colour not #RRGGBB', { body: 'x', connectColor: 'green' }, 'connectColor'],
    [
      'a block without its description',
      { body: 'x', connectInfo: [{ title: 't' }] },
      'description',
    ],
    ['a field JANDI does not name', { body: 'x', email: 'a@b.c' }, 'email'],
  ])('refuses %s with 400', async (_what, body, reason) => {
    const jandi = await started(new FakeJandi());
    const url = jandi.addHook();
    const answer = await post(url, body, headers);
    expect(answer.status).toBe(400);
    expect(answer.text).toContain(reason);
  });

  it('finds a post’s link, emphasis and tags in what it was sent', async () => {
    const jandi = await started(new FakeJandi());
    const url = jandi.addHook();
    await post(url, { body: '[여기](javascript:alert(1)) **굵게** <b>태그</b>' }, headers);
    expect(jandi.hazards(url)).toHaveLength(3);
  });
});

describe('fake Dooray!', () => {
  it('takes the guide’s example and answers with its header', async () => {
    const dooray = await started(new FakeDooray());
    const url = dooray.addHook();
    const answer = await post(url, {
      botName: 'MyBot',
      botIconImage: 'https://static.dooray.com/static_images/dooray-bot.png',
      text: 'Dooray!',
      attachments: [
        { title: 'title', titleLink: 'http://dooray.com/', text: 'message', color: 'red' },
      ],
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({
      header: { resultCode: 0, resultMessage: '', isSuccessful: true },
    });
  });

  it.each([
    ['no botName', { text: 'x' }, 'botName'],
    ['no text', { botName: 'b' }, 'text'],
    [
      'a colour Dooray! does not name',
      { botName: 'b', text: 'x', attachments: [{ text: 'y', color: 'pink' }] },
      'color',
    ],
    [
      'a titleLink without a title',
      { botName: 'b', text: 'x', attachments: [{ text: 'y', titleLink: 'https://a.kr' }] },
      'titleLink',
    ],
  ])('refuses %s with 400 and isSuccessful: false', async (_what, body, reason) => {
    const dooray = await started(new FakeDooray());
    const url = dooray.addHook();
    const answer = await post(url, body);
    expect(answer.status).toBe(400);
    const { header } = JSON.parse(answer.text) as {
      header: { isSuccessful: boolean; resultMessage: string };
    };
    expect(header.isSuccessful).toBe(false);
    expect(header.resultMessage).toContain(reason);
  });

  it('keeps one message a second per hook', async () => {
    const dooray = await started(new FakeDooray());
    let clock = 5_000_000;
    dooray.now = () => clock;
    const url = dooray.addHook();
    const body = { botName: 'b', text: 'x' };
    expect((await post(url, body)).status).toBe(200);
    const limited = await post(url, body);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    clock += 1_000;
    expect((await post(url, body)).status).toBe(200);
  });
});
