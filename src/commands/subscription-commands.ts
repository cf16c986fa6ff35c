import { channelFullText } from '../ports/source-catalog.js';
import { sourceLabel, type SourceRecord } from '../ports/source-registry.js';
import type { Subscription } from '../model/subscription.js';
import { viewerOf } from '../model/tenant.js';
import { unsubscribeChannel } from '../pipeline/deliver/unsubscribe.js';
import type { CommandServiceDeps } from './command-deps.js';
import { keywordProblem } from './parse-command.js';
import {
  channelOf,
  channelText,
  keywordsSentence,
  now,
  privateText,
  refusal,
  unknownSource,
  type ChatReply,
  type CommandContext,
  type CommandResult,
} from './replies.js';

/**
 * `/news 구독 [source | url] [keywords…]`: a first word that names a source the channel may
 * see picks it, a URL adds it as a source first (read once, which may take a moment),
 * anything else is a keyword of the default source. Keywords arrive as stored tokens (`탄소`,
 * `탄소 중립`, `-해외`; see `keyword-filter`) and are stored as they are. A repeat for the
 * same source replaces its keywords. Limits (per channel, per tenant, in all) are taken
 * atomically by the follow itself.
 */
export async function subscribe(
  deps: CommandServiceDeps,
  ctx: CommandContext,
  words: string[],
): Promise<CommandResult> {
  if (!ctx.canManageSubscriptions) return now(refusal(ctx.platform));
  const first = words[0];
  if (first !== undefined && /^https?:\/\//i.test(first)) {
    if (!deps.sourcesFromChat) {
      return now(
        privateText('이 봇에서는 채팅으로 새 소스를 추가할 수 없습니다. 관리자에게 문의해 주세요.'),
      );
    }
    const keywords = words.slice(1);
    const problem = keywordProblem(keywords);
    if (problem) return now(privateText(problem));
    // A full channel is told at once, before the URL is read (the follow checks again).
    if ((await deps.subscriptions.followedBy(channelOf(ctx))).length >= deps.maxSourcesPerChannel) {
      return now(privateText(channelFullText(deps.maxSourcesPerChannel)));
    }
    return {
      kind: 'later',
      notice: '주소를 읽어 보고 있습니다…',
      reply: addAndFollow(deps, ctx, first, keywords),
    };
  }
  const viewer = viewerOf(ctx);
  const named = first === undefined ? null : await deps.sources.find(first.toLowerCase(), viewer);
  const source = named ?? (await deps.sources.find(deps.sources.defaultName, viewer));
  if (!source) return now(unknownSource(deps.sources.defaultName));
  return now(await follow(deps, ctx, source, named ? words.slice(1) : words));
}

async function addAndFollow(
  deps: CommandServiceDeps,
  ctx: CommandContext,
  url: string,
  keywords: string[],
): Promise<ChatReply> {
  try {
    const followed = await deps.sources.followUrl(url, subscriptionOf(ctx, keywords, null));
    if (followed.kind === 'refused') return privateText(followed.reason);
    const reply = followedText(followed.source, followed.updated, keywords);
    if (followed.newToTenant) {
      return channelText(
        `새 소스 ‘${sourceLabel(followed.source)}’를 \`${followed.source.name}\`라는 이름으로 추가했습니다.\n${reply}`,
      );
    }
    return channelText(reply);
  } catch (error) {
    deps.logger.error({ err: error }, 'adding a source from chat failed');
    return privateText('소스를 추가하지 못했습니다. 잠시 후 다시 시도해 주세요.');
  }
}

async function follow(
  deps: CommandServiceDeps,
  ctx: CommandContext,
  source: SourceRecord,
  keywords: string[],
): Promise<ChatReply> {
  const problem = keywordProblem(keywords);
  if (problem) return privateText(problem);
  const existing = await deps.subscriptions.get(source.name, channelOf(ctx));
  const followed = await deps.sources.follow(
    source,
    subscriptionOf(ctx, keywords, existing?.createdAt ?? null),
  );
  if (followed.kind === 'refused') return privateText(followed.reason);
  return channelText(followedText(source, followed.updated, keywords));
}

function subscriptionOf(
  ctx: CommandContext,
  keywords: string[],
  createdAt: string | null,
): Subscription {
  return { ...channelOf(ctx), keywords, createdAt: createdAt ?? new Date().toISOString() };
}

function followedText(source: SourceRecord, updated: boolean, keywords: string[]): string {
  const label = `‘${sourceLabel(source)}’ (\`${source.name}\`)`;
  const head = updated ? '구독 설정을 바꿨습니다.' : '이 채널을 구독했습니다.';
  return `${head} ${keywordsSentence(label, keywords)}`;
}

/** `/news 구독해지 [source]`: that source, or every source the channel follows. */
export async function unsubscribe(
  deps: CommandServiceDeps,
  ctx: CommandContext,
  name: string | null,
): Promise<ChatReply> {
  if (!ctx.canManageSubscriptions) return refusal(ctx.platform);
  const sources = await deps.sources.visibleTo(viewerOf(ctx));
  if (name !== null && !sources.some((s) => s.name === name)) return unknownSource(name);
  const removed = await unsubscribeChannel(
    {
      ...deps,
      sourceIds: () => deps.subscriptions.followedBy(channelOf(ctx)),
      sourceReleased: (sourceId) => deps.sources.released(sourceId),
    },
    channelOf(ctx),
    name === null ? undefined : [name],
  );
  if (removed.length === 0) {
    return privateText(
      name === null
        ? '이 채널은 구독 중이 아닙니다.'
        : `이 채널은 \`${name}\` 소스를 구독하지 않습니다.`,
    );
  }
  const labels = removed.map((id) => {
    const source = sources.find((s) => s.name === id);
    return source ? `‘${sourceLabel(source)}’` : `\`${id}\``;
  });
  return channelText(
    `${labels.join(', ')} 구독을 해지했습니다. 이 채널로 그 소스의 알림을 더 이상 보내지 않습니다.`,
  );
}
