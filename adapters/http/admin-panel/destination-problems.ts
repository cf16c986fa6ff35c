import {
  MIN_SECRET_LENGTH,
  type DestinationProblem,
  type TestOutcome,
} from '../../../src/destinations/destination-service.js';
import type { DeliveryFailureKind } from '../../../src/ports/notifier.js';

/** The add form's fields, for marking the one a refusal is about. */
export type DestinationField = 'platform' | 'name' | 'url' | 'secret' | 'source' | 'keywords';

/**
 * What the operator reads when the destination service refuses a change: Korean, by the
 * refusal's code, never the service's English message (which is for the CLI and logs) or a
 * stack. `field` is the form field to fix, when there is one.
 */
export function destinationProblemText(problem: DestinationProblem): {
  text: string;
  field: DestinationField | null;
} {
  switch (problem) {
    case 'not-a-destination-platform':
      return {
        text: '목적지 종류를 골라 주세요: Microsoft Teams, JANDI, Dooray!, 웹훅 중 하나입니다.',
        field: 'platform',
      };
    case 'bad-name':
      return {
        text: '이름은 영어 소문자·숫자·_·-로 1~40자이고, 첫 글자는 영어 소문자나 숫자여야 합니다 (예: esg-team).',
        field: 'name',
      };
    case 'bad-url':
      return {
        text: '주소는 https로 시작하는 공개 주소여야 합니다. 사용자 이름이나 비밀번호가 들어 있거나, 사내망·사설 주소이거나, 찾을 수 없는 주소는 쓸 수 없습니다. 플랫폼에서 받은 웹훅 주소를 그대로 붙여 넣어 주세요.',
        field: 'url',
      };
    case 'secret-not-allowed':
      return {
        text: '서명 비밀값은 웹훅 목적지에만 씁니다. 이 종류는 비밀값 칸을 비워 주세요.',
        field: 'secret',
      };
    case 'secret-too-short':
      return {
        text: `서명 비밀값은 ${MIN_SECRET_LENGTH}자 이상이어야 합니다. 비워 두면 봇이 만들어 한 번 보여 드립니다.`,
        field: 'secret',
      };
    case 'bad-secret':
      return {
        text: 'whsec_로 시작하는 비밀값은 그 뒤가 올바른 base64(24~64바이트)여야 합니다. 비워 두면 봇이 만들어 한 번 보여 드립니다.',
        field: 'secret',
      };
    case 'unknown-source':
      return { text: '그런 이름의 소스가 없습니다. 목록에서 골라 주세요.', field: 'source' };
    case 'bad-keywords':
      return {
        text: '키워드를 읽을 수 없습니다. 따옴표를 닫았는지, ‘-’ 바로 뒤에 제외할 낱말을 붙였는지 확인해 주세요 (예: 탄소 -해외 "탄소 중립").',
        field: 'keywords',
      };
    case 'not-found':
      return { text: '그런 목적지가 없습니다. 이미 삭제되었을 수 있습니다.', field: null };
    case 'no-encryption-key':
      return {
        text: 'TOKEN_ENCRYPTION_KEY가 설정되지 않아 목적지를 저장할 수 없습니다. 운영자가 키를 설정하고 봇을 다시 시작해야 합니다.',
        field: null,
      };
  }
}

/** A failed test alert, in Korean, by what kind of failure it was. */
export function testFailureText(kind: Extract<TestOutcome, { ok: false }>['kind']): string {
  const texts: Record<DeliveryFailureKind | 'error', string> = {
    permanent:
      '목적지가 알림을 받지 않았습니다. 웹훅이 지워졌거나 주소·서명이 더 이상 맞지 않습니다. 플랫폼에서 주소를 확인하고 다시 추가해 주세요.',
    rejected: '목적지가 알림의 내용을 거부했습니다.',
    'rate-limited':
      '목적지가 잠시 기다려 달라고 했습니다 (보내는 간격 제한). 잠시 뒤에 다시 시도해 주세요.',
    unauthorized:
      '저장된 주소를 열 수 없습니다. TOKEN_ENCRYPTION_KEY가 목적지를 저장할 때와 같은지 확인해 주세요.',
    transient: '목적지가 응답하지 않았거나 일시적인 오류를 냈습니다. 잠시 뒤에 다시 시도해 주세요.',
    error: '테스트 알림을 보내지 못했습니다.',
  };
  return texts[kind];
}
