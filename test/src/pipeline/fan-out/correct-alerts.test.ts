import { describe, expect, it } from 'vitest';
import {
  alertsToEdit,
  correctionVersion,
  editAlert,
  type EditDeps,
} from '../../../../src/pipeline/fan-out/correct-alerts.js';
import { deliver } from '../../../../src/pipeline/deliver/deliver.js';
import {
  channel,
  pipelineFixture,
  post,
  silentLogger,
  SOURCE,
  target,
} from '../pipeline-fixture.js';

const C1 = channel('C1');
const C2 = channel('C2');
const D1 = channel('D1', 'G1', 'discord');

type Fixture = Awaited<ReturnType<typeof pipelineFixture>>;

function editDeps(f: Fixture): EditDeps {
  return {
    archive: f.stores.archive,
    notifiers: f.deps.notifiers,
    platforms: f.stores.platforms,
    sentMessages: f.stores.sentMessages,
    sourceLabel: f.deps.sourceLabel,
    logger: silentLogger,
  };
}

/** Post 1 alerted to C1, C2 and D1, then corrected at the source. */
async function corrected() {
  const f = await pipelineFixture();
  for (const ch of [C1, C2, D1]) await f.follow(ch);
  await f.announce(post(1, '원래 제목'));
  for (const ch of [C1, C2, D1]) expect(await deliver(f.deps, target(1, ch))).toBe('sent');
  await f.stores.archive.save([post(1, '고친 제목', { ministry: '기후에너지환경부' })]);
  const edits = await alertsToEdit(f.stores.sentMessages, SOURCE, [1]);
  const byChannel = (id: string) => edits.find((e) => e.channel.channelId === id)!;
  return { f, edits, byChannel };
}

describe('correcting sent alerts', () => {
  it('names a correction by what it changes: the same one once, a second one again', () => {
    const before = correctionVersion([post(1, '원래 제목')]);
    expect(correctionVersion([post(1, '원래 제목')])).toBe(before);
    expect(correctionVersion([post(1, '원래 제목', { summary: '요약만 바뀜' })])).toBe(before);
    expect(correctionVersion([post(1, '고친 제목')])).not.toBe(before);
    expect(correctionVersion([post(1, '원래 제목', { ministry: '산림청' })])).not.toBe(before);
    expect(before).toMatch(/^[\w-]{12}$/);
  });

  it('finds every remembered alert of the corrected posts, on every platform', async () => {
    const { f, edits } = await corrected();
    // Each edit targets the message that carried its alert: the notifiers number theirs 0, 1….
    const found = edits.map((e) => [
      e.sourceId,
      e.boardNo,
      e.channel.platform,
      e.channel.channelId,
      e.messageId.split('.')[1],
    ]);
    expect(found.sort()).toEqual(
      [
        [SOURCE, 1, 'slack', 'C1', '000000'],
        [SOURCE, 1, 'slack', 'C2', '000001'],
        [SOURCE, 1, 'discord', 'D1', '000000'],
      ].sort(),
    );
    expect(await alertsToEdit(f.stores.sentMessages, SOURCE, [2])).toEqual([]);
  });

  it('edits an alert in place, marked 정정, posting nothing new', async () => {
    const { f, byChannel } = await corrected();
    const edit = byChannel('C1');
    expect(await editAlert(editDeps(f), edit)).toBe('edited');
    expect(f.slack.edits).toEqual([
      { channelId: 'C1', messageId: edit.messageId, title: '[정정] 고친 제목' },
    ]);
    expect(f.slack.sent).toHaveLength(2);
  });

  it('forgets an alert that is gone, keeping the channel subscribed', async () => {
    const { f, byChannel } = await corrected();
    f.slack.failures.set('C2', [{ kind: 'permanent', code: 'message_not_found' }]);
    expect(await editAlert(editDeps(f), byChannel('C2'))).toBe('gone');
    const left = await f.stores.sentMessages.list(SOURCE, 1);
    expect(left.map((m) => m.channel.channelId).sort()).toEqual(['C1', 'D1']);
    expect(await f.stores.subscriptions.get(SOURCE, C2)).not.toBeNull();
  });

  it('leaves an alert as it was when the platform refuses the edit in every form', async () => {
    const { f, byChannel } = await corrected();
    const refused = { kind: 'rejected', code: 'invalid_blocks' } as const;
    f.slack.failures.set('C1', [refused, refused]);
    expect(await editAlert(editDeps(f), byChannel('C1'))).toBe('refused');
    expect(f.slack.edits).toEqual([]);
    expect(await f.stores.sentMessages.list(SOURCE, 1)).toHaveLength(3);
  });

  it('waits while the platform is paused, and pauses it when its token is refused', async () => {
    const { f, byChannel } = await corrected();
    f.discord.failures.set('D1', [{ kind: 'unauthorized' }]);
    await expect(editAlert(editDeps(f), byChannel('D1'))).rejects.toMatchObject({
      kind: 'unauthorized',
    });
    expect(await f.stores.platformStatus.get('discord')).toMatchObject({ state: 'unauthorized' });
    expect(await editAlert(editDeps(f), byChannel('D1'))).toBe('platform-paused');
    // Slack goes on.
    expect(await editAlert(editDeps(f), byChannel('C1'))).toBe('edited');
  });

  it('edits nothing for a platform without a notifier, or a post no longer archived', async () => {
    const { f, byChannel } = await corrected();
    const withoutDiscord = { ...editDeps(f), notifiers: new Map([['slack', f.slack]] as const) };
    expect(await editAlert(withoutDiscord, byChannel('D1'))).toBe('no-notifier');
    await f.stores.archive.trim(SOURCE, { maxPosts: 0, maxAgeMs: 0 }, f.clock.now());
    expect(await editAlert(editDeps(f), byChannel('C1'))).toBe('post-missing');
    expect([...f.slack.edits, ...f.discord.edits]).toEqual([]);
  });
});
