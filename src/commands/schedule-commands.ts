import {
  describeDigest,
  describeQuiet,
  NO_SCHEDULE,
  type ChannelSchedule,
} from '../model/channel-schedule.js';
import type { CommandServiceDeps } from './command-deps.js';
import { channelOf, channelText, refusal, type ChatReply, type CommandContext } from './replies.js';

type Deps = Pick<CommandServiceDeps, 'schedules'>;

/** `/news 요약 …`: the channel's digest times, or (`times: null`) alerts at once again. */
export async function setDigest(
  deps: Deps,
  ctx: CommandContext,
  times: string[] | null,
  weekdaysOnly: boolean,
): Promise<ChatReply> {
  if (!ctx.canManageSubscriptions) return refusal(ctx.platform);
  const digest = times === null ? null : { times, weekdaysOnly };
  await update(deps, ctx, (schedule) => ({ ...schedule, digest }));
  if (digest === null) {
    return channelText(
      '요약을 껐습니다. 새 글을 나오는 대로 바로 보내고, 모아 두었던 글은 곧 보냅니다.',
    );
  }
  return channelText(
    `이제 이 채널은 새 글을 ${describeDigest(digest)}(한국 시간)에 요약 한 건으로 받습니다. ` +
      '새 글이 없으면 보내지 않습니다. 바로 받으려면 `/news 요약 끄기`.',
  );
}

/** `/news 방해금지 …`: the channel's quiet hours, or (`window: null`) none. */
export async function setQuiet(
  deps: Deps,
  ctx: CommandContext,
  window: { start: string; end: string } | null,
): Promise<ChatReply> {
  if (!ctx.canManageSubscriptions) return refusal(ctx.platform);
  await update(deps, ctx, (schedule) => ({ ...schedule, quiet: window }));
  if (window === null) {
    return channelText('방해금지 시간을 껐습니다. 모아 두었던 글은 곧 보냅니다.');
  }
  return channelText(
    `방해금지 시간: ${describeQuiet(window)} (한국 시간). 이 시간에 나온 글은 끝나는 시각에 ` +
      '보냅니다: 한 건이면 평소 알림으로, 여러 건이면 요약 한 건으로. 끄려면 `/news 방해금지 끄기`.',
  );
}

/** `요약: 매일 09:00 · 방해금지: 22:00–07:00`, or null without a schedule, for `/news 상태`. */
export function scheduleText(schedule: ChannelSchedule | null): string | null {
  const parts: string[] = [];
  if (schedule?.digest) parts.push(`요약: ${describeDigest(schedule.digest)}`);
  if (schedule?.quiet) parts.push(`방해금지: ${describeQuiet(schedule.quiet)}`);
  return parts.length > 0 ? `${parts.join(' · ')} (한국 시간)` : null;
}

async function update(
  deps: Deps,
  ctx: CommandContext,
  change: (schedule: ChannelSchedule) => ChannelSchedule,
): Promise<void> {
  const channel = channelOf(ctx);
  const current = (await deps.schedules.get(channel)) ?? NO_SCHEDULE;
  await deps.schedules.set(channel, change(current));
}
