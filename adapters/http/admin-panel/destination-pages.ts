import type {
  AddedDestination,
  DestinationDetails,
  TestOutcome,
} from '../../../src/destinations/destination-service.js';
import { MIN_SECRET_LENGTH } from '../../../src/destinations/destination-service.js';
import { typedToken } from '../../../src/model/keyword-filter.js';
import { DESTINATION_PLATFORMS, PLATFORMS } from '../../../src/platforms/platform-registry.js';
import type { SourceRecord } from '../../../src/ports/source-registry.js';
import { sourceLabel } from '../../../src/ports/source-registry.js';
import { destinationRows } from './channels-page.js';
import type { DestinationField } from './destination-problems.js';
import { testFailureText } from './destination-problems.js';
import { field, invalidWhen } from './form-field.js';
import { html, type SafeHtml } from './html.js';
import { csrfInput, notice, page, PANEL_PATHS, withQuery } from './layout.js';

/** What the add form shows again: what was typed, never the URL or the secret. */
export interface DestinationFormValues {
  platform: string;
  name: string;
  source: string;
  keywords: string;
}

export interface DestinationFormError {
  text: string;
  field: DestinationField | null;
}

/** The form that adds a destination, or (same platform and name) replaces its URL and keywords. */
export function destinationFormPage(options: {
  csrfToken: string;
  sources: readonly SourceRecord[];
  values: DestinationFormValues;
  error?: DestinationFormError | undefined;
  /** The form changes an existing destination. */
  replacing: boolean;
}): SafeHtml {
  const { values, error } = options;
  const invalid = (name: DestinationField) => invalidWhen(error?.field === name);
  const title = options.replacing ? '목적지 바꾸기' : '목적지 추가';
  return page(
    { title, csrfToken: options.csrfToken, current: options.replacing ? undefined : 'add' },
    html`<h2>${title}</h2>
      ${error && notice('bad', error.text)}
      ${
        options.replacing &&
        html`<p class="muted">
          같은 종류와 이름으로 다시 저장하면 주소·비밀값과 고른 소스의 키워드가 바뀝니다.
        </p>`
      }
      <form class="stack card" method="post" action="${PANEL_PATHS.addDestination}">
        ${csrfInput(options.csrfToken)}
        ${field(
          'platform',
          '종류',
          null,
          html`<select id="platform" name="platform" ${invalid('platform')}>
            ${DESTINATION_PLATFORMS.map(
              (id) =>
                html`<option value="${id}" ${values.platform === id ? html` selected` : ''}>
                  ${PLATFORMS[id].label}
                </option>`,
            )}
          </select>`,
        )}
        ${field(
          'name',
          '이름',
          '영어 소문자·숫자·_·- 1~40자 (예: esg-team)',
          html`<input
            id="name"
            name="name"
            value="${values.name}"
            required
            maxlength="40"
            autocapitalize="off"
            autocomplete="off"
            spellcheck="false"
            aria-describedby="name-hint"
            ${invalid('name')}
          />`,
        )}
        ${field(
          'url',
          '웹훅 주소',
          '플랫폼에서 받은 https 주소. 보안을 위해 저장한 뒤에는 일부만 보여 드리고, 고칠 때는 새로 붙여 넣어야 합니다.',
          html`<input
            id="url"
            type="url"
            name="url"
            required
            autocomplete="off"
            autocapitalize="off"
            spellcheck="false"
            inputmode="url"
            aria-describedby="url-hint"
            ${invalid('url')}
          />`,
        )}
        ${field(
          'source',
          '소스',
          null,
          html`<select id="source" name="source" ${invalid('source')}>
            ${options.sources.map(
              (source) =>
                html`<option
                  value="${source.name}"
                  ${values.source === source.name ? html` selected` : ''}
                >
                  ${sourceLabel(source)} (${source.name})
                </option>`,
            )}
          </select>`,
        )}
        ${field(
          'keywords',
          '키워드',
          '비우면 모든 새 글. 예: 탄소 -해외 "탄소 중립"',
          html`<input
            id="keywords"
            name="keywords"
            value="${values.keywords}"
            autocomplete="off"
            aria-describedby="keywords-hint"
            ${invalid('keywords')}
          />`,
        )}
        ${field(
          'secret',
          '서명 비밀값 (웹훅만)',
          `${MIN_SECRET_LENGTH}자 이상. 비워 두면 봇이 만들어 한 번만 보여 드립니다. 다른 종류는 비워 두세요.`,
          html`<input
            id="secret"
            type="password"
            name="secret"
            autocomplete="new-password"
            aria-describedby="secret-hint"
            ${invalid('secret')}
          />`,
        )}
        <div class="actions">
          <button type="submit">저장</button
          ><a class="button secondary" href="${PANEL_PATHS.channels}">취소</a>
        </div>
      </form>`,
  );
}

/** After a destination was saved: where it points now, and a generated secret, this once. */
export function destinationSavedPage(
  csrfToken: string,
  added: AddedDestination,
  details: DestinationDetails,
): SafeHtml {
  const verb = added.outcome === 'added' ? '추가했습니다' : '바꿨습니다';
  return page(
    { title: '저장함', csrfToken },
    html`<h2>목적지를 ${verb}</h2>
      ${notice('ok', `${PLATFORMS[added.channel.platform].label} 목적지 ‘${added.channel.channelId}’를 ${verb}. 소스 ${added.sourceId}의 새 글을 보냅니다.`)}
      ${
        added.generatedSecret !== null &&
        html`<section class="card">
          <h3>서명 비밀값</h3>
          <p>
            받는 쪽에서 서명을 확인할 때 쓰는 값입니다.
            <strong>지금 한 번만 보여 드립니다.</strong> 복사해 받는 쪽에 설정해 주세요.
          </p>
          <code class="secret" aria-label="서명 비밀값">${added.generatedSecret}</code>
        </section>`
      }
      ${destinationView(csrfToken, details)}`,
  );
}

/** One destination with the operator's buttons: test, schedule, change, remove. */
export function destinationPage(
  csrfToken: string,
  details: DestinationDetails,
  message?: SafeHtml,
): SafeHtml {
  return page(
    { title: details.channel.channelId, csrfToken },
    html`<h2>목적지 ${details.channel.channelId}</h2>
      ${message} ${destinationView(csrfToken, details)}`,
  );
}

function destinationView(csrfToken: string, details: DestinationDetails): SafeHtml {
  const { channel } = details;
  const ids = html`${csrfInput(csrfToken)}<input
      type="hidden"
      name="platform"
      value="${channel.platform}"
    /><input type="hidden" name="name" value="${channel.channelId}" />`;
  const first = details.subscriptions[0];
  const change = withQuery(PANEL_PATHS.newDestination, {
    platform: channel.platform,
    name: channel.channelId,
    ...(first
      ? { source: first.sourceId, keywords: first.keywords.map(typedToken).join(' ') }
      : {}),
  });
  const remove = withQuery(PANEL_PATHS.confirmRemoval, {
    platform: channel.platform,
    name: channel.channelId,
  });
  const { digest, quiet } = details.schedule;
  return html`<section class="card${details.broken ? ' broken' : ''}" aria-label="목적지 정보">
      <h3>
        ${channel.channelId}
        ${details.broken ? html`<span class="badge bad">BROKEN</span>` : html`<span class="badge ok">정상</span>`}
      </h3>
      <dl>${destinationRows(details)}</dl>
      <div class="actions">
        <form method="post" action="${PANEL_PATHS.testDestination}">
          ${ids}<button type="submit">테스트 알림 보내기</button>
        </form>
        <a class="button secondary" href="${change}">주소·키워드 바꾸기</a>
        <a class="button danger" href="${remove}">삭제</a>
      </div>
    </section>
    <section class="card" aria-label="받는 방식">
      <h3>받는 방식</h3>
      <form class="stack" method="post" action="${PANEL_PATHS.scheduleDestination}">
        ${ids}
        ${field(
          'digest',
          '요약 시각',
          '한국 시간 HH:MM, 여러 개는 띄어 쓰기 (최대 6개). 비우면 요약 없이 바로 보냅니다.',
          html`<input
            id="digest"
            name="digest"
            value="${digest ? digest.times.join(' ') : ''}"
            inputmode="numeric"
            autocomplete="off"
            placeholder="09:00 18:00"
            aria-describedby="digest-hint"
          />`,
        )}
        <label class="check"
          ><input
            type="checkbox"
            name="weekdays"
            value="1"
            ${digest?.weekdaysOnly ? html` checked` : ''}
          />
          요약은 평일에만</label
        >
        ${field(
          'quietStart',
          '방해금지 시작',
          null,
          html`<input
            id="quietStart"
            type="time"
            name="quietStart"
            value="${quiet?.start ?? ''}"
          />`,
        )}
        ${field(
          'quietEnd',
          '방해금지 끝',
          '방해금지 시간에 나온 글은 모아 두었다가 끝나면 보냅니다. 둘 다 비우면 끕니다.',
          html`<input
            id="quietEnd"
            type="time"
            name="quietEnd"
            value="${quiet?.end ?? ''}"
            aria-describedby="quietEnd-hint"
          />`,
        )}
        <div class="actions"><button type="submit">받는 방식 저장</button></div>
      </form>
    </section>`;
}

/** What a test alert met: the destination's own answer, or the failure in Korean. */
export function testOutcomeNotice(outcome: TestOutcome): SafeHtml {
  if (outcome.ok) {
    return notice(
      'ok',
      html`<strong>테스트 알림을 보냈습니다.</strong> 목적지의 응답: HTTP ${outcome.status}
        <pre aria-label="목적지의 응답">${clip(outcome.body) || '(빈 응답)'}</pre>`,
    );
  }
  return notice(
    'bad',
    html`<strong>테스트 알림이 실패했습니다.</strong> ${testFailureText(outcome.kind)}
      <pre aria-label="실패 내용">${clip(outcome.message)}</pre>`,
  );
}

function clip(text: string): string {
  return text.length > 2_000 ? `${text.slice(0, 1_999)}…` : text;
}

/** Asks once more before a destination is removed. */
export function removeConfirmPage(csrfToken: string, details: DestinationDetails): SafeHtml {
  const { channel } = details;
  return page(
    { title: '목적지 삭제', csrfToken },
    html`<h2>목적지 ${channel.channelId}를 삭제할까요?</h2>
      ${notice('warn', '구독을 모두 끝내고, 보내지 못한 알림과 저장한 주소·비밀값을 지웁니다. 되돌릴 수 없습니다.')}
      <section class="card">
        <dl>${destinationRows(details)}</dl>
        <div class="actions">
          <form method="post" action="${PANEL_PATHS.removeDestination}">
            ${csrfInput(csrfToken)}<input
              type="hidden"
              name="platform"
              value="${channel.platform}"
            /><input type="hidden" name="name" value="${channel.channelId}" /><input
              type="hidden"
              name="confirm"
              value="yes"
            /><button class="danger" type="submit">삭제</button>
          </form>
          <a
            class="button secondary"
            href="${withQuery(PANEL_PATHS.destination, { platform: channel.platform, name: channel.channelId })}"
            >취소</a
          >
        </div>
      </section>`,
  );
}

/** A page with a message and a way back to the channels. */
export function messagePage(csrfToken: string, title: string, message: SafeHtml): SafeHtml {
  return page(
    { title, csrfToken },
    html`<h2>${title}</h2>
      ${message}
      <p><a class="button secondary" href="${PANEL_PATHS.channels}">채널·목적지로</a></p>`,
  );
}
