import { redactUrl } from '../../../src/model/source-error.js';
import { sourceLabel } from '../../../src/ports/source-registry.js';
import { SOURCE_KINDS } from '../../../src/sources/source-kinds.js';
import { rhythmOf, type PollRhythms } from '../../../src/config/config-polling.js';
import { intervalAt } from '../../../src/model/poll-rhythm.js';
import { durationText, rhythmText } from '../../../src/model/poll-rhythm-text.js';
import { html, type SafeHtml } from './html.js';
import { badge, page, when } from './layout.js';
import type { SourceHealth } from './panel-data.js';

/** The sources page: every source with how reading it goes. */
export function sourcesPage(
  sources: readonly SourceHealth[],
  options: { csrfToken: string; pollRhythms: PollRhythms; now: Date },
): SafeHtml {
  return page(
    { title: '소스', csrfToken: options.csrfToken, current: 'sources' },
    html`<h2>소스 ${sources.length}개</h2>
      <p class="muted">
        확인 주기 ${rhythmText(options.pollRhythms.global)} · 시각은 한국 시간입니다.
      </p>
      <div class="grid">${sources.map((health) => sourceCard(health, options))}</div>`,
  );
}

function sourceCard(
  health: SourceHealth,
  options: { pollRhythms: PollRhythms; now: Date },
): SafeHtml {
  const { source, state } = health;
  const label = sourceLabel(source);
  const rhythm = rhythmOf(options.pollRhythms, source.name, source.origin);
  return html`<section class="card" aria-label="${`소스 ${source.name}`}">
    <h3>${label} ${healthBadge(health)}</h3>
    <dl>
      <dt>이름</dt>
      <dd><code>${source.name}</code></dd>
      <dt>주소</dt>
      <dd>${redactUrl(source.url)}</dd>
      <dt>종류</dt>
      <dd>
        ${source.kind ? SOURCE_KINDS[source.kind].label : '아직 모름'} ·
        ${source.origin === 'config' ? '설정' : '채팅에서 추가'}
      </dd>
      <dt>확인 주기</dt>
      <dd>${rhythmText(rhythm)} (지금 ${durationText(intervalAt(rhythm, options.now))}마다)</dd>
      <dt>마지막 확인</dt>
      <dd>${when(state.lastSuccessAt)}</dd>
      ${
        state.failingSince &&
        html`<dt>실패 중</dt>
          <dd>
            ${when(state.failingSince)}부터${state.lastError ? html`<br />${state.lastError}` : ''}
          </dd>`
      }
      ${
        !state.failingSince &&
        state.lastError &&
        state.lastErrorAt &&
        html`<dt>최근 오류</dt>
          <dd>${when(state.lastErrorAt)} ${state.lastError} (이후 정상)</dd>`
      }
      ${
        state.slowSince &&
        html`<dt>느린 응답</dt>
          <dd>${when(state.slowSince)}부터 확인 간격을 늘렸습니다</dd>`
      }
      <dt>다음 확인</dt>
      <dd>${nextRead(health)}</dd>
      <dt>최신 번호</dt>
      <dd>${state.cursor ?? '아직 없음'}</dd>
      <dt>보관한 글</dt>
      <dd>${health.archived}개</dd>
      <dt>구독</dt>
      <dd>${health.followers}곳</dd>
    </dl>
  </section>`;
}

function healthBadge(health: SourceHealth): SafeHtml {
  const { state } = health;
  if (state.failingSince) return badge('bad', '실패 중');
  if (state.slowSince) return badge('warn', '느림');
  if (!state.lastSuccessAt) return badge('muted', '아직 읽지 않음');
  return badge('ok', '정상');
}

function nextRead(health: SourceHealth): string {
  if (health.nextRead) return `${when(health.nextRead)} 이후`;
  return health.scheduled ? '곧' : '예약 없음 (구독하는 곳이 없으면 읽지 않습니다)';
}
