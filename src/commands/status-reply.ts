import { SOURCE_KINDS } from '../sources/source-kinds.js';
import type { SourceState } from '../ports/source-state-store.js';
import { rhythmOf } from '../config/config-polling.js';
import { intervalAt } from '../model/poll-rhythm.js';
import { durationText, rhythmText } from '../model/poll-rhythm-text.js';
import { redactUrl } from '../model/source-error.js';
import { koreaDateTime } from '../model/post.js';
import { sourceLabel, type SourceRecord } from '../ports/source-registry.js';
import type { CommandServiceDeps } from './command-deps.js';
import { viewerOf } from '../model/tenant.js';
import { scheduleText } from './schedule-commands.js';
import {
  channelOf,
  keywordsText,
  privateText,
  type ChatReply,
  type CommandContext,
} from './replies.js';

/**
 * `/news 소스`: every source the channel's tenant may see (configured ones, and the
 * chat-added ones its channels follow) with its kind, newest item and last read.
 */
export async function sourcesReply(
  deps: CommandServiceDeps,
  ctx: CommandContext,
): Promise<ChatReply> {
  const sources = await deps.sources.visibleTo(viewerOf(ctx));
  const at = deps.now?.() ?? new Date();
  const global = deps.pollRhythms.global;
  const lines = [
    `*이 봇이 읽는 소스 ${sources.length}개* (첫 소스가 기본)`,
    `확인 주기: ${rhythmText(global)}`,
  ];
  for (const source of sources) {
    const [state, [newest]] = await Promise.all([
      deps.states.get(source.name),
      deps.archive.newest(source.name, 1),
    ]);
    const kind = source.kind ? SOURCE_KINDS[source.kind].label : '종류 미확인';
    const latest = newest
      ? `최신 ${newest.boardNo}번 ‘${newest.title.slice(0, 60)}’ (${newest.date})`
      : '저장된 글 없음';
    const read = state.lastSuccessAt ? koreaDateTime(state.lastSuccessAt) : '아직 없음';
    const rhythm = rhythmOf(deps.pollRhythms, source.name, source.origin);
    // A source with a rhythm of its own says so; every source says what is in force now.
    const own = rhythm === global ? '' : ` · 확인 주기 ${rhythmText(rhythm)}`;
    lines.push(
      `• \`${source.name}\` ${sourceLabel(source)} · ${kind} · ${latest} · 마지막 확인 ${read}` +
        `${own} · 지금 ${durationText(intervalAt(rhythm, at))}마다 확인`,
    );
  }
  lines.push('`/news 구독 <소스> [키워드…]`로 구독합니다. (시각은 한국 시간)');
  return privateText(lines.join('\n'));
}

/** `/news 상태`: the channel's sources, keywords and exclusions, its last alert and problems, and each source's health. */
export async function statusReply(
  deps: CommandServiceDeps,
  ctx: CommandContext,
): Promise<ChatReply> {
  const channel = channelOf(ctx);
  const sources = await deps.sources.visibleTo(viewerOf(ctx));
  const [following, last, problems, platform, schedule] = await Promise.all([
    deps.subscriptions.following(
      channel,
      sources.map((s) => s.name),
    ),
    deps.deliveryLog.lastDelivered(channel),
    deps.deliveryLog.problems(channel),
    deps.platformStates.get(channel.platform),
    deps.schedules.get(channel),
  ]);
  const byName = new Map(sources.map((s) => [s.name, s]));
  const lines = ['*이 채널*'];
  if (following.length === 0) lines.push('• 구독: 안 함 (`/news 구독`으로 시작)');
  for (const { sourceId, subscription } of following) {
    const source = byName.get(sourceId);
    const name = source ? `${sourceLabel(source)} (\`${sourceId}\`)` : `\`${sourceId}\``;
    lines.push(`• 구독: ${name} ${keywordsText(subscription.keywords)}`);
  }
  lines.push(`• 받는 방식: ${scheduleText(schedule) ?? '새 글이 나오는 대로 바로'}`);
  lines.push(
    last
      ? `• 마지막 알림: ${last.sourceId} ${last.boardNo}번 (${koreaDateTime(last.at)})`
      : '• 마지막 알림: 아직 없음',
  );
  if (platform.state === 'unauthorized') {
    lines.push(
      `• ⚠️ 알림 전송 중단: ${koreaDateTime(platform.since)}부터 이 플랫폼이 봇의 토큰을 거부하고 있습니다. ` +
        '구독과 보낼 글은 그대로 두었다가 운영자가 토큰을 고치면 이어서 보내 드립니다.',
    );
  }
  if (problems.refused + problems.givenUp > 0) {
    const parts = [];
    if (problems.refused > 0) parts.push(`플랫폼이 거부한 글 ${problems.refused}건`);
    if (problems.givenUp > 0) parts.push(`오래 실패해 포기한 글 ${problems.givenUp}건`);
    const lastProblem = problems.last;
    lines.push(
      `• 보내지 못한 알림: ${parts.join(', ')}` +
        (lastProblem
          ? ` (마지막: ${lastProblem.boardNo}번, ${koreaDateTime(lastProblem.at)}, ${lastProblem.reason})`
          : ''),
    );
  }
  // The sources this channel follows, or the default one for a channel that follows none.
  const shown =
    following.length > 0 ? following.map((f) => f.sourceId) : [deps.sources.defaultName];
  for (const name of shown) {
    const source = byName.get(name);
    if (source) lines.push(...sourceLines(deps, source, await deps.states.get(name)));
  }
  lines.push('(시각은 한국 시간)');
  return privateText(lines.join('\n'));
}

function sourceLines(deps: CommandServiceDeps, source: SourceRecord, state: SourceState): string[] {
  const at = deps.now?.() ?? new Date();
  const rhythm = rhythmOf(deps.pollRhythms, source.name, source.origin);
  const lines = [
    `*소스 ${sourceLabel(source)} (\`${source.name}\`)*`,
    `• 주소: ${redactUrl(source.url)}`,
    `• 확인 주기: ${rhythmText(rhythm)} (지금 ${durationText(intervalAt(rhythm, at))}마다)`,
    `• 마지막 정상 확인: ${state.lastSuccessAt ? koreaDateTime(state.lastSuccessAt) : '아직 없음'}`,
    `• 최신 번호: ${state.cursor ?? '아직 없음'}`,
  ];
  if (state.slowSince) {
    lines.push(
      `• 느린 응답: ${koreaDateTime(state.slowSince)}부터 응답이 느려 확인 간격을 늘렸습니다`,
    );
  }
  if (state.notBefore && state.notBefore > at) {
    lines.push(`• 다음 확인: ${koreaDateTime(state.notBefore)} 이후`);
  }
  if (state.lastError && state.lastErrorAt) {
    const recovered = state.lastSuccessAt && state.lastSuccessAt > state.lastErrorAt;
    lines.push(
      `• 최근 오류: ${koreaDateTime(state.lastErrorAt)} ${state.lastError}${recovered ? ' (이후 정상)' : ''}`,
    );
  } else {
    lines.push('• 최근 오류: 없음');
  }
  return lines;
}
