import { SlashCommandBuilder } from 'discord.js';
import { PermissionFlagsBits } from 'discord.js';

/**
 * `/news query:<text>`: one string option taking the same text as Slack's `/news`. One
 * string, never split by Discord, so quoted phrases (`"탄소 중립"`) and `-제외어` arrive as typed.
 */
export const NEWS_COMMAND = new SlashCommandBuilder()
  .setName('news')
  .setDescription('ESG policy news: look up, list, search, subscribe')
  .setDescriptionLocalizations({ ko: 'ESG 정책뉴스 조회, 검색, 구독' })
  .addStringOption((option) =>
    option
      .setName('query')
      // Discord allows 100 characters here; `sources` and `help` make room for the keyword forms.
      .setDescription(
        '1645 | latest [source] | search <words> | subscribe [source|url] [word -exclude "a phrase"] | status',
      )
      .setDescriptionLocalizations({
        ko: '1645 | 최신 [소스] | 검색 <단어> | 소스 | 구독 [소스|주소] [키워드 -제외어 "구 절"] | 상태 | 도움말',
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

/** An autocomplete choice: Discord allows 100 characters for both the label and the value. */
export function choiceFor(suggestion: { label: string; value: string }): {
  name: string;
  value: string;
} {
  const cut = (text: string) => (text.length > 100 ? `${text.slice(0, 99)}…` : text);
  return { name: cut(suggestion.label), value: suggestion.value.slice(0, 100) };
}
