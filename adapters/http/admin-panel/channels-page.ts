import { keywordsText } from '../../../src/commands/replies.js';
import { describeDigest, describeQuiet } from '../../../src/model/channel-schedule.js';
import type { ChannelSchedule } from '../../../src/model/channel-schedule.js';
import {
  PLATFORM_IDS,
  PLATFORMS,
  type Platform,
} from '../../../src/platforms/platform-registry.js';
import type { ChannelProblems } from '../../../src/ports/delivery-log.js';
import type { DestinationDetails } from '../../../src/destinations/destination-service.js';
import { html, type SafeHtml } from './html.js';
import { badge, notice, page, PANEL_PATHS, when, withQuery } from './layout.js';
import type { ChannelListing, ChannelOverview } from './panel-data.js';

export interface ChannelsPageData {
  listing: ChannelListing;
  destinations: readonly DestinationDetails[];
  /** The platform the list is narrowed to, if any. */
  platform: Platform | undefined;
  /** How many channels one page reads at most. */
  limit: number;
}

/**
 * Every subscribed channel, grouped by platform, then the webhook destinations with their
 * masked URLs and breaks. Chat channels are changed where their people are (`/news`);
 * destinations have a page of their own with the operator's buttons.
 */
export function channelsPage(data: ChannelsPageData, csrfToken: string): SafeHtml {
  const { listing } = data;
  const chatPlatforms = PLATFORM_IDS.filter((id) => !PLATFORMS[id].destinations);
  const shownDestinations = data.destinations.filter(
    (d) => data.platform === undefined || d.channel.platform === data.platform,
  );
  return page(
    { title: '채널·목적지', csrfToken, current: 'channels' },
    html`<h2>채널·목적지</h2>
      ${platformFilter(data.platform)}
      ${listing.platforms
        .filter((p) => p.state.state === 'unauthorized')
        .map((p) =>
          p.state.state === 'unauthorized'
            ? notice(
                'bad',
                `${PLATFORMS[p.platform].label}: ${when(p.state.since)}부터 봇의 토큰을 거부해 알림을 보내지 못하고 있습니다 (${p.state.reason}).`,
              )
            : '',
        )}
      ${listing.truncated && notice('warn', `채널이 많아 처음 ${data.limit}곳만 보여 줍니다. 플랫폼을 골라 좁혀 보세요.`)}
      ${chatPlatforms.map((platform) => {
        const channels = listing.channels.filter((c) => c.channel.platform === platform);
        if (channels.length === 0) return '';
        return html`<h2>
            ${PLATFORMS[platform].label} <span class="muted">${channels.length}곳</span>
          </h2>
          <div class="grid">${channels.map(channelCard)}</div>`;
      })}
      ${
        listing.channels.length === 0 &&
        shownDestinations.length === 0 &&
        html`<p class="muted">구독한 채널이 없습니다.</p>`
      }
      ${
        (data.platform === undefined || PLATFORMS[data.platform].destinations) &&
        html`<h2>웹훅 목적지 <span class="muted">${shownDestinations.length}곳</span></h2>
          <p><a class="button" href="${PANEL_PATHS.newDestination}">목적지 추가</a></p>
          <div class="grid">${shownDestinations.map(destinationCard)}</div>`
      }`,
  );
}

/** One platform or all, as a small form: a row of nine links would fill a phone's screen. */
function platformFilter(current: Platform | undefined): SafeHtml {
  return html`<form class="actions filter" method="get" action="${PANEL_PATHS.channels}">
    <select name="platform" aria-label="플랫폼">
      <option value="">모든 플랫폼</option>
      ${PLATFORM_IDS.map(
        (id) =>
          html`<option value="${id}" ${id === current ? html` selected` : ''}>
            ${PLATFORMS[id].label}
          </option>`,
      )}
    </select>
    <button class="secondary" type="submit">보기</button>
  </form>`;
}

function channelCard(overview: ChannelOverview): SafeHtml {
  const { channel } = overview;
  return html`<section
    class="card"
    aria-label="${`채널 ${channel.platform} ${channel.workspaceId} ${channel.channelId}`}"
  >
    <h3><code>${channel.channelId}</code> ${problemBadge(overview.problems)}</h3>
    <dl>
      <dt>워크스페이스</dt>
      <dd><code>${channel.workspaceId}</code></dd>
      ${subscriptionRows(overview.subscriptions)}
      <dt>받는 방식</dt>
      <dd>${scheduleText(overview.schedule)}</dd>
      <dt>마지막 알림</dt>
      <dd>${lastAlertText(overview.lastAlert)}</dd>
      ${problemRows(overview.problems)}
    </dl>
  </section>`;
}

function destinationCard(details: DestinationDetails): SafeHtml {
  const { channel, broken } = details;
  const view = withQuery(PANEL_PATHS.destination, {
    platform: channel.platform,
    name: channel.channelId,
  });
  return html`<section
    class="card${broken ? ' broken' : ''}"
    aria-label="${`목적지 ${channel.platform} ${channel.channelId}`}"
  >
    <h3>
      ${channel.channelId} ${broken ? badge('bad', 'BROKEN') : badge('ok', '정상')}
      ${problemBadge(details.problems)}
    </h3>
    <dl>${destinationRows(details)}</dl>
    <div class="actions"><a class="button secondary" href="${view}">관리</a></div>
  </section>`;
}

/** The rows every destination view shows: kind, masked URL, break, subscriptions, schedule, failures. */
export function destinationRows(details: DestinationDetails): SafeHtml {
  const { channel, broken } = details;
  return html`<dt>종류</dt>
    <dd>${PLATFORMS[channel.platform].label}${details.hasSecret ? ' (서명)' : ''}</dd>
    <dt>주소</dt>
    <dd><code>${details.shownUrl}</code></dd>
    ${
      broken &&
      html`<dt>고장</dt>
        <dd>
          ${when(broken.since)}부터: ${broken.reason}<br /><small class="muted"
            >알림은 보내지 않고 모아 둡니다. 주소를 고치거나 테스트 알림이 성공하면 이어서
            보냅니다.</small
          >
        </dd>`
    }
    ${subscriptionRows(details.subscriptions)}
    <dt>받는 방식</dt>
    <dd>${scheduleText(details.schedule)}</dd>
    <dt>마지막 알림</dt>
    <dd>${lastAlertText(details.lastAlert)}</dd>
    ${problemRows(details.problems)}
    <dt>추가한 때</dt>
    <dd>${when(details.createdAt)}</dd>`;
}

function subscriptionRows(
  subscriptions: ReadonlyArray<{ sourceId: string; keywords: readonly string[] }>,
): SafeHtml {
  if (subscriptions.length === 0)
    return html`<dt>구독</dt>
      <dd>없음</dd>`;
  return html`${subscriptions.map(
    (s) =>
      html`<dt>구독</dt>
        <dd><code>${s.sourceId}</code> · ${keywordsText(s.keywords)}</dd>`,
  )}`;
}

export function scheduleText(schedule: ChannelSchedule): string {
  const parts: string[] = [];
  if (schedule.digest) parts.push(`요약 ${describeDigest(schedule.digest)}`);
  if (schedule.quiet) parts.push(`방해금지 ${describeQuiet(schedule.quiet)}`);
  return parts.length > 0 ? parts.join(' · ') : '새 글이 나오는 대로 바로';
}

function lastAlertText(last: { sourceId: string; boardNo: number; at: Date } | null): string {
  return last ? `${last.sourceId} ${last.boardNo}번 (${when(last.at)})` : '아직 없음';
}

function problemBadge(problems: ChannelProblems): SafeHtml | '' {
  const count = problems.refused + problems.givenUp;
  return count > 0 ? badge('warn', `못 보낸 알림 ${count}건`) : '';
}

function problemRows(problems: ChannelProblems): SafeHtml | '' {
  if (problems.refused + problems.givenUp === 0) return '';
  const last = problems.last;
  return html`<dt>못 보낸 알림</dt>
    <dd>
      거부 ${problems.refused}건 · 포기
      ${problems.givenUp}건${
        last &&
        html`<br /><small
            >마지막: ${last.sourceId} ${last.boardNo}번, ${when(last.at)}, ${last.reason}</small
          >`
      }
    </dd>`;
}
