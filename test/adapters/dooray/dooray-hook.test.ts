import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { doorayFailureIn, doorayFormat } from '../../../adapters/dooray/dooray-format.js';
import { sampleMessage } from '../../../src/model/news-message.js';
import { DeliveryError } from '../../../src/ports/notifier.js';
import { doorayHeader, FakeDooray } from '../../support/fake-dooray.js';
import { hookFixture } from '../../support/fake-webhook-fixture.js';

describe('Dooray! incoming hooks', () => {
  let dooray: FakeDooray;

  beforeEach(async () => {
    dooray = await new FakeDooray().start();
  });

  afterEach(async () => {
    await dooray.close();
  });

  /** Sends an alert to a hook that answers 200 with `isSuccessful: false` and this code. */
  async function refusedWith(resultCode: number | string) {
    const { notifier, room } = hookFixture('dooray', doorayFormat, dooray);
    const { channel, url } = await room(`room-${String(resultCode).replace(/\W/g, '')}`);
    dooray.resultFailures.set(url, { resultCode, resultMessage: '서비스 연동이 해제되었습니다.' });
    const error = await notifier.send(channel, sampleMessage(new Date()), 'alert-1').then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DeliveryError);
    expect(dooray.requests(url).map((r) => r.answer)).toEqual([200]);
    expect(dooray.received(url)).toEqual([]);
    // The answer is quoted for the operator; the hook's URL, a secret, is not.
    expect((error as Error).message).toContain('서비스 연동이 해제되었습니다.');
    expect((error as Error).message).not.toContain(new URL(url).pathname);
    return error as DeliveryError;
  }

  it('reads a 200 with isSuccessful: false as a failure, by the status its resultCode names', async () => {
    const gone = await refusedWith(404);
    expect(gone.kind).toBe('permanent');
    expect(gone.details.code).toBe('dooray-404');
    const denied = await refusedWith(403);
    expect(denied.kind).toBe('permanent');
    const throttled = await refusedWith(429);
    expect(throttled.kind).toBe('rate-limited');
    expect(throttled.details.scope).toBe('channel');
    expect(throttled.details.retryAfterMs).toBeGreaterThan(0);
    const refused = await refusedWith(400);
    expect(refused.kind).toBe('rejected');
  });

  it('retries a resultCode Dooray! does not explain, never marking the hook broken on a guess', async () => {
    for (const code of [-30_001, 'SERVICE_ERROR', 0]) {
      const unknown = await refusedWith(code);
      expect(unknown.kind).toBe('transient');
    }
  });

  it('takes any other 2xx answer as posted', () => {
    const answer = (body: string) => doorayFailureIn({ status: 200, body });
    expect(answer(doorayHeader(true, 0, ''))).toBeNull();
    expect(answer('')).toBeNull();
    expect(answer('ok')).toBeNull();
    expect(answer('{"result":null}')).toBeNull();
  });
});
