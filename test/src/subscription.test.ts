import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { channelKey, type ChannelRef } from '../../src/model/subscription.js';
import { type Platform } from '../../src/platforms/platform-registry.js';

const platform = fc.constantFrom<Platform>('slack', 'discord', 'console');
/** Ids with every kind of UTF-16 unit, lone surrogates included (JavaScript strings hold them). */
const anyId = fc.string({
  unit: fc.oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)),
  ),
  maxLength: 12,
});
/**
 * Short ids over the few characters that could make two keys meet (`-`, the escapes' own
 * `%`, `u` and hex digits, a unit whose escape is as long as another's): two such channels
 * are often near-identical, so a collision is found rather than left to chance.
 */
const nearId = fc.string({
  unit: fc.constantFrom('-', '%', 'u', '2', 'd', '0', 'a', '1', '\n', '¡', 'ꀀ'),
  maxLength: 5,
});
const channelOf = (id: fc.Arbitrary<string>) =>
  fc.record({ platform, workspaceId: id, channelId: id });
const channel = fc.oneof(channelOf(anyId), channelOf(nearId));
const same = (a: ChannelRef, b: ChannelRef) =>
  a.platform === b.platform && a.workspaceId === b.workspaceId && a.channelId === b.channelId;

describe('channelKey', () => {
  it('gives distinct channels distinct keys', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.tuple(channel, channel), fc.tuple(channelOf(nearId), channelOf(nearId))),
        ([a, b]) => {
          fc.pre(!same(a, b));
          expect(channelKey(a)).not.toBe(channelKey(b));
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('gives distinct keys to the same text split at another place between the two ids', () => {
    // Where a separator could hide inside an id, moving the boundary is what makes keys meet.
    fc.assert(
      fc.property(platform, fc.oneof(anyId, nearId), fc.nat(), fc.nat(), (p, text, i, j) => {
        const [at, other] = [i % (text.length + 1), j % (text.length + 1)];
        fc.pre(at !== other);
        const split = (k: number) => ({
          platform: p,
          workspaceId: text.slice(0, k),
          channelId: text.slice(k),
        });
        expect(channelKey(split(at))).not.toBe(channelKey(split(other)));
      }),
      { numRuns: 5_000 },
    );
  });

  it('tells apart the pairs that collided when `-` was kept inside the parts', () => {
    const a: ChannelRef = { platform: 'slack', workspaceId: 'T1-A', channelId: 'C1' };
    const b: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'A-C1' };
    expect(channelKey(a)).not.toBe(channelKey(b));
    expect(channelKey(a)).toBe('slack-T1%2dA-C1');
    expect(channelKey(b)).toBe('slack-T1-A%2dC1');
    // Escapes of different widths never read as one another: U+000A then `1` vs U+00A1.
    expect(channelKey({ ...a, channelId: '\n1' })).not.toBe(channelKey({ ...a, channelId: '¡' }));
  });

  it('keeps the key real ids had before, so no stored data moves', () => {
    expect(
      channelKey({ platform: 'slack', workspaceId: 'T0123ABCD', channelId: 'C0456EFGH' }),
    ).toBe('slack-T0123ABCD-C0456EFGH');
    expect(
      channelKey({
        platform: 'discord',
        workspaceId: '1123456789012345678',
        channelId: '1234567890123456789',
      }),
    ).toBe('discord-1123456789012345678-1234567890123456789');
    expect(channelKey({ platform: 'console', workspaceId: 'local', channelId: 'console' })).toBe(
      'console-local-console',
    );
    expect(channelKey({ platform: 'console', workspaceId: 'a/b', channelId: 'x' })).toBe(
      'console-a%2fb-x',
    );
  });

  it('never holds `:` and is never all digits (Redis key parts and BullMQ job ids)', () => {
    fc.assert(
      fc.property(channel, (c) => {
        const key = channelKey(c);
        expect(key).not.toContain(':');
        expect(key).not.toMatch(/^\d+$/);
      }),
    );
  });
});
