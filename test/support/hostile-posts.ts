import fc from 'fast-check';
import type { ChatReply } from '../../src/commands/command-service.js';
import type { NewsMessage, SourceNotice } from '../../src/model/news-message.js';

// ---- Hostile posts, as a broken or malicious board could publish them --------------------

/** Pieces a title, ministry or date may hold: markup of both platforms, RTL, emoji, controls. */
export const piece = fc.oneof(
  fc.constantFrom(
    '<!channel>',
    '<!here|here>',
    '<!everyone>',
    '<@U1>',
    '<#C1>',
    '<!subteam^S1>',
    '@everyone',
    '@here',
    '<@123456789012345678>',
    '*',
    '_',
    '~',
    '`',
    '```',
    '|',
    '||',
    '\\',
    '[x](javascript:alert(1))',
    '[x](https://evil.example/a b)',
    '<javascript:alert(1)>',
    '<https://x.example|click>',
    '](',
    '# ',
    '- ',
    '> ',
    '&',
    '&amp;',
    '&lt;',
    '<',
    '>',
    'مرحبا بالعالم',
    'שלום',
    '\u202e',
    '\u2066',
    '😀',
    '👨‍👩‍👧‍👦',
    '🇰🇷',
    '\ud83d',
    '\ude00',
    '탄소중립',
    ' ',
    '\n',
    '\t',
    '\u0000',
    '\u200b',
  ),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

/** Lengths at and around every limit, and past them all. */
export const nearLimit = fc.oneof(
  fc.constantFrom(150, 255, 256, 257, 1023, 1024, 1025, 1999, 2000, 2001, 2999, 3000, 3001),
  fc.constantFrom(4000, 4095, 4096, 4097, 5000),
  fc.integer({ min: 200, max: 5000 }),
);

/** Long text whose unit (surrogate pair, `&`, `<`) lands on the cut at any offset. */
export const longText = fc
  .tuple(
    fc.constantFrom('가', 'a', '😀', '&', '<', '>', '\\', '*', '👨‍👩‍👧‍👦', 'ש'),
    nearLimit,
    fc.integer({ min: 0, max: 3 }),
    piece,
  )
  .map(
    ([unit, length, offset, tail]) =>
      ('x'.repeat(offset) + unit.repeat(Math.ceil(length / unit.length))).slice(0, length) + tail,
  );

export const text = fc.oneof(
  { weight: 4, arbitrary: fc.array(piece, { maxLength: 25 }).map((pieces) => pieces.join('')) },
  { weight: 3, arbitrary: longText },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\n\t ', '\u3000') },
);

export const url = fc.oneof(
  fc.constantFrom(
    'https://k-esg.org/post/1645',
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'http://',
    'https://',
    'ftp://x',
    'mailto:a@b.example',
    '//k-esg.org/post/1',
    '/post/1',
    '',
    'HTTPS://K-ESG.ORG/POST/1',
    'https://x.example/a b',
    'https://x.example/a)b(c)',
    'https://x.example/a|b>c<d',
    'https://x.example/?q=<!channel>&a=1',
    'https://예시.한국/경로?검색=탄소',
    'http://[::1]:8080/x',
    `https://x.example/${'&'.repeat(1500)}`,
    `https://x.example/${')'.repeat(800)}`,
  ),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.integer({ min: 1950, max: 3000 }).map((n) => `https://x.example/${'a'.repeat(n)}`),
  fc.string({ maxLength: 40 }),
);

export const boardNo = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, -Number.MAX_VALUE, 1e21),
);

/** A file's name as a hostile source could give it: markup of every platform, controls, length. */
export const attachmentName = fc.oneof(
  text,
  fc.constantFrom(
    '<@everyone>.hwpx',
    '<!channel>|x>.pdf',
    '[x](javascript:alert(1)).hwp',
    '<a href="javascript:alert(1)">x</a>.pdf',
    '<b>굵게</b> & <i>기울임</i>.hwpx',
    '**굵게** _기울임_ `코드` ~~취소~~ ||스포일러||.pdf',
    '@everyone @here.pdf',
    '# 제목\n- 목록\n> 인용.hwpx',
    '1. 번호.pdf',
    '\u0000\u001b[31m\u0007.pdf',
    '\u202e\u2066fdp.exe',
    '\ud83d.pdf',
    '',
    ' \n\t ',
  ),
  fc.integer({ min: 100, max: 5000 }).map((n) => `${'가'.repeat(n)}.hwpx`),
);

/** 0 to 30 files: most releases have a few, a hostile source any number. */
export const attachments = fc.array(fc.record({ name: attachmentName, url }), { maxLength: 30 });

/** 보도시점: ordinary instants, and numbers no `Date` can print. */
export const embargoAt = fc.option(
  fc.oneof(
    fc.integer({ min: 0, max: 4_102_444_800_000 }),
    fc.constantFrom(NaN, Infinity, -Infinity, 8.64e15, -8.64e15, Number.MAX_VALUE, -1, 0.5),
    fc.double(),
  ),
);

/** Labels of the other carriers: as untrusted as a source's title. */
export const alsoCarriedBy = fc.array(text, { maxLength: 5 });

export const post: fc.Arbitrary<NewsMessage> = fc.record({
  // A feed's own title becomes a source's label: as untrusted as any post text.
  source: fc.option(fc.record({ name: fc.string({ maxLength: 20 }), label: text })),
  title: text,
  url,
  ministry: fc.option(text),
  date: text,
  boardNo,
  originalUrl: fc.option(url),
  // A lead read at 200 characters, or anything an old archive or a hostile page holds.
  summary: fc.option(text),
  embargoAt,
  attachments,
  alsoCarriedBy,
});

export const replyText = fc.oneof(
  text,
  fc.constant('*최신 ESG 정책뉴스*\n`/news 1645` 보기 <!channel> @everyone <@U1> & <b>'),
);

export const reply = (posts: fc.Arbitrary<NewsMessage[]>): fc.Arbitrary<ChatReply> =>
  fc.record({
    text: replyText,
    posts,
    visibility: fc.constantFrom('channel' as const, 'private' as const),
  });

export const notice: fc.Arbitrary<SourceNotice> = fc.record({
  kind: fc.constantFrom('down' as const, 'recovered' as const),
  sourceId: fc.constant('k-esg.org-post'),
  sourceUrl: fc.constant('https://k-esg.org/post'),
  since: fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms).toISOString()),
  error: fc.option(
    fc.oneof(
      text,
      longText.map((t) => `${t}\n${t}`),
    ),
  ),
});
