import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, type Env } from '../../src/config/config.js';
import { rhythmOf } from '../../src/config/config-polling.js';
import { parseSources } from '../../src/config/source-config.js';
import { parsePollOptions } from '../../src/config/source-poll-options.js';
import { formatWindow } from '../../src/model/poll-hours.js';
import type { PollRhythm } from '../../src/model/poll-rhythm.js';

const MINUTE = 60_000;

/** A rhythm as the configuration writes it, for readable expectations. */
const written = (rhythm: PollRhythm) => ({
  quietMs: rhythm.quietMs,
  busyMs: rhythm.busyMs,
  hours: rhythm.windows.map(formatWindow).join(', '),
});

function problems(env: Env): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('the polling variables', () => {
  it('default to office hours at the computed busy interval and POLL_INTERVAL outside them', () => {
    const { pollRhythms } = parseConfig({});
    expect(written(pollRhythms.global)).toEqual({
      quietMs: 5 * MINUTE,
      busyMs: MINUTE,
      hours: 'mon-fri 08:00-20:00',
    });
    expect(pollRhythms.bySource.size).toBe(0);
  });

  it('compute the busy interval for the hours and quiet interval set', () => {
    const always = parseConfig({ POLL_BUSY_HOURS: 'mon-sun 00:00-24:00' }).pollRhythms.global;
    expect(always.busyMs).toBe(2 * MINUTE);
    const slow = parseConfig({ POLL_INTERVAL: '30m', POLL_BUSY_HOURS: 'mon-sun 00:00-24:00' });
    expect(slow.pollRhythms.global.busyMs).toBe(2 * MINUTE);
    const none = parseConfig({ POLL_BUSY_HOURS: 'off' }).pollRhythms.global;
    expect(written(none)).toEqual({ quietMs: 5 * MINUTE, busyMs: 5 * MINUTE, hours: '' });
  });

  it('obey a busy interval set explicitly, even past the daily budget', () => {
    const env = {
      POLL_BUSY_INTERVAL: '20s',
      POLL_BUSY_HOURS: 'mon-fri 08:00-20:00, sat 09:00-13:00',
    };
    expect(written(parseConfig(env).pollRhythms.global)).toEqual({
      quietMs: 5 * MINUTE,
      busyMs: 20_000,
      hours: 'mon-fri 08:00-20:00, sat 09:00-13:00',
    });
  });

  it('refuse bad hours and intervals at start, naming the variable', () => {
    expect(problems({ POLL_BUSY_HOURS: 'weekdays 08:00-20:00' })).toEqual([
      'POLL_BUSY_HOURS: "weekdays 08:00-20:00": "weekdays" is not a day (mon, tue, wed, thu, fri, sat, sun) (e.g. mon-fri 08:00-20:00, sat 09:00-13:00)',
    ]);
    expect(problems({ POLL_BUSY_INTERVAL: 'often' })).toEqual([
      'POLL_BUSY_INTERVAL: POLL_BUSY_INTERVAL must look like 30s, 5m, 1h or 5000',
    ]);
    expect(problems({ POLL_BUSY_INTERVAL: '500' })).toEqual([
      'POLL_BUSY_INTERVAL: POLL_BUSY_INTERVAL must be at least 1000 ms',
    ]);
  });
});

describe('a source’s own rhythm in its URL fragment', () => {
  it('is read, resolved against the variables and stripped from the URL the source reads', () => {
    const config = parseConfig({
      SOURCES: [
        'esg=https://k-esg.org/post#poll=10m&busy=1m&hours=mon-fri+08:00-20:00;sat+09:00-13:00',
        'korea=https://www.korea.kr/rss/pressrelease.xml#busy=off',
        'me=https://www.me.go.kr/rss?key=abc#poll=15m',
        'plain=https://example.org/rss',
      ].join('\n'),
      POLL_INTERVAL: '3m',
    });
    expect(config.sources.map((s) => s.url)).toEqual([
      'https://k-esg.org/post',
      'https://www.korea.kr/rss/pressrelease.xml',
      'https://www.me.go.kr/rss?key=abc',
      'https://example.org/rss',
    ]);
    const rhythms = config.pollRhythms;
    expect(written(rhythmOf(rhythms, 'esg', 'config'))).toEqual({
      quietMs: 10 * MINUTE,
      busyMs: MINUTE,
      hours: 'mon-fri 08:00-20:00, sat 09:00-13:00',
    });
    expect(written(rhythmOf(rhythms, 'korea', 'config'))).toEqual({
      quietMs: 3 * MINUTE,
      busyMs: 3 * MINUTE,
      hours: '',
    });
    // Its busy interval is computed for its own quiet interval: 720 + 48 = 768 at one minute.
    expect(written(rhythmOf(rhythms, 'me', 'config'))).toEqual({
      quietMs: 15 * MINUTE,
      busyMs: MINUTE,
      hours: 'mon-fri 08:00-20:00',
    });
    // The others, and every chat-added source (even under a configured name), follow the variables.
    expect(rhythmOf(rhythms, 'plain', 'config')).toBe(rhythms.global);
    expect(rhythmOf(rhythms, 'esg', 'chat')).toBe(rhythms.global);
    // At 3 minutes outside office hours, one minute inside them is 720 + 240 = 960: two minutes.
    expect(written(rhythms.global)).toEqual({
      quietMs: 3 * MINUTE,
      busyMs: 2 * MINUTE,
      hours: 'mon-fri 08:00-20:00',
    });
  });

  it('takes POLL_BUSY_INTERVAL when it sets no busy interval of its own', () => {
    const config = parseConfig({
      SOURCES: 'esg=https://k-esg.org/post#poll=10m',
      POLL_BUSY_INTERVAL: '2m',
    });
    expect(rhythmOf(config.pollRhythms, 'esg', 'config').busyMs).toBe(2 * MINUTE);
  });

  it('refuses unknown, repeated, empty and bad options at start, never echoing the URL', () => {
    const refused = (fragment: string) =>
      problems({ SOURCES: `esg=https://k-esg.org/post?key=SECRETKEY#${fragment}` });
    expect(refused('every=10m')).toEqual([
      'SOURCES: esg: unknown option "every" in the URL fragment (poll, busy, hours)',
    ]);
    expect(refused('top')).toEqual([
      'SOURCES: esg: unknown option "top" in the URL fragment (poll, busy, hours)',
    ]);
    expect(refused('poll=10m&poll=5m')).toEqual(['SOURCES: esg: #poll= given twice']);
    expect(refused('poll=')).toEqual(['SOURCES: esg: #poll= needs a value']);
    expect(refused('busy=fast')).toEqual([
      'SOURCES: esg: #busy= must be a duration like 30s, 5m or 1h, at least 1s',
    ]);
    expect(refused('hours=mon-fri+8-20')[0]).toContain('SOURCES: esg: #hours= "mon-fri 8-20"');
    expect(refused('busy=off&hours=mon+08:00-09:00')).toEqual([
      'SOURCES: esg: #busy=off leaves no busy hours for #hours=',
    ]);
    expect(refused('poll=10m').length).toBe(0);
    for (const fragment of ['every=10m', 'busy=fast']) {
      expect(refused(fragment).join()).not.toContain('SECRETKEY');
    }
  });

  it('keeps sources apart by their URL without the fragment', () => {
    const { problems: found } = parseSources(
      'a=https://k-esg.org/post#poll=10m b=https://k-esg.org/post#busy=off',
    );
    expect(found).toEqual(['b: the URL of another source']);
    expect(parsePollOptions('')).toEqual({});
    expect(parsePollOptions('busy=OFF')).toEqual({ windows: [] });
  });
});
