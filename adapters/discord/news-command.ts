import { SlashCommandBuilder } from 'discord.js';
import { PermissionFlagsBits } from 'discord.js';

/** `/news query:<text>`: one string option taking the same text as Slack's `/news`. */
export const NEWS_COMMAND = new SlashCommandBuilder()
  .setName('news')
  .setDescription('ESG policy news: look up, list, search, subscribe')
  .setDescriptionLocalizations({ ko: 'ESG 정책뉴스 조회, 검색, 구독' })
  .addStringOption((option) =>
    option
      .setName('query')
      .setDescription(
        '1645 | latest | search <words> | subscribe [keywords] | unsubscribe | status | help',
      )
      .setDescriptionLocalizations({
        ko: '1645 | 최신 | 검색 <단어> | 구독 [키워드] | 구독해지 | 상태 | 도움말',
      })
      .setMaxLength(300)
      .setAutocomplete(true),
  )
  .toJSON();

/** Manage Channels or Manage Server (Administrator implies both) may change subscriptions. */
export function canManageSubscriptions(permissions: bigint | null): boolean {
  if (permissions === null) return true; // a DM: the user's own conversation
  const allowed =
    PermissionFlagsBits.Administrator |
    PermissionFlagsBits.ManageChannels |
    PermissionFlagsBits.ManageGuild;
  return (permissions & allowed) !== 0n;
}

/** An autocomplete choice: `1652 · 제목…` (Discord allows 100 characters), the number as value. */
export function choiceFor(post: { boardNo: number; title: string }): {
  name: string;
  value: string;
} {
  const name = `${post.boardNo} · ${post.title}`;
  return { name: name.length > 100 ? `${name.slice(0, 99)}…` : name, value: String(post.boardNo) };
}
