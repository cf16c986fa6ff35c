import type { NewsMessage } from '../../src/model/news-message.js';

/* The release details (보도시점, files, other carriers) every platform's contract checks. */

/** A release with its 보도시점, five files (one without a usable link) and another carrier. */
export const withDetails = (
  message: (title: string, extra?: Partial<NewsMessage>) => NewsMessage,
  title: string,
  extra: Partial<NewsMessage> = {},
): NewsMessage =>
  message(title, {
    embargoAt: Date.parse('2026-12-07T12:00:00+09:00'),
    attachments: [
      { name: '(보도자료) 탄소중립 점검.hwpx', url: 'https://www.korea.kr/files/1.hwpx' },
      { name: '참고자료.pdf', url: 'javascript:alert(1)' },
      { name: '별첨 1.pdf', url: 'https://www.korea.kr/files/3.pdf' },
      { name: '별첨 2.pdf', url: 'https://www.korea.kr/files/4.pdf' },
      { name: '별첨 3.pdf', url: 'https://www.korea.kr/files/5.pdf' },
    ],
    alsoCarriedBy: ['정책브리핑 API 156712345번'],
    ...extra,
  });

/** What every platform must show of {@link withDetails}, in each form. */
export const DETAILS = [
  '보도시점',
  '2026-12-07 12:00',
  '(보도자료) 탄소중립 점검.hwpx',
  'https://www.korea.kr/files/1.hwpx',
  '참고자료.pdf',
  '별첨 1.pdf',
  'https://www.korea.kr/files/3.pdf',
  '외 첨부 2건',
  '함께 실린 곳',
  '정책브리핑 API 156712345번',
];
