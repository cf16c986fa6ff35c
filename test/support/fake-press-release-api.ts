import type { IncomingMessage, ServerResponse } from 'node:http';
import { startHttpServer, type LocalServer } from './http-server.js';

/** The API's path on apis.data.go.kr. */
export const PRESS_RELEASE_PATH = '/1371000/pressReleaseService/pressReleaseList';

/** One release of the fake, as a test publishes it. */
export interface FakeRelease {
  newsId: string;
  title: string;
  ministry: string;
  /** ApproveDate (epoch ms): which windows list it. */
  approvedAt: number;
  status: 'I' | 'U';
  modifiedAt: number;
  /** EmbargoDate (epoch ms), or none. */
  embargoAt: number | null;
  subTitle?: string;
  /** DataContents (HTML). */
  body?: string;
  /** OriginalUrl as the API gives it; by default the korea.kr view of the newsId. */
  originalUrl?: string;
  files: Array<{ name: string; url: string }>;
  /** Written without its NewsItemId (a broken item). */
  withoutId?: boolean;
}

/** What a key is to the fake gateway. */
export type KeyState = 'active' | 'pending' | 'denied' | 'expired' | 'unregistered-ip';

export interface FakeApiRequest {
  /** When it came (the fake's clock), and the Korean day its quota counts on. */
  at: number;
  day: string;
  /** `serviceKey` as the gateway reads it (percent-decoded once). */
  serviceKey: string | null;
  params: Record<string, string>;
  /** `00`, or the error code answered. */
  answered: string;
}

const KST = 9 * 3_600_000;
const DAY = 86_400_000;

/**
 * A local stand-in for data.go.kr's 정책브리핑 보도자료 API, as strict as the real one: the
 * gateway checks the key (unknown or not yet activated: SERVICE_KEY_IS_NOT_REGISTERED, and
 * denied, expired, IP codes) and counts each key's calls per Korean day (1,000, then code 22);
 * the API checks `startDate`/`endDate` (YYYYMMDD, at most three days: THREE_DAYS_OVER_ERROR),
 * pages by `pageNo`/`numOfRows` (at most {@link maxRows} a page; or ignores `pageNo`), and
 * lists the releases whose ApproveDate falls in the window, newest first, in the real XML.
 * Every request is recorded (per-day counts for the benchmark).
 */
export class FakePressReleaseApi {
  readonly releases: FakeRelease[] = [];
  readonly keys = new Map<string, KeyState>();
  readonly requests: FakeApiRequest[] = [];
  dailyQuota = 1_000;
  /** Most rows a page holds; a larger `numOfRows` is cut to it (and echoed so). */
  maxRows = 100;
  /** Answer page 1 whatever `pageNo` says, as one report says the real API does. */
  ignorePageNo = false;
  /** Leave `totalCount`, `pageNo` and `numOfRows` out of the body. */
  omitPaging = false;
  /** Serve answers cut off half-way. */
  truncated = false;
  /** Answer every request with this HTTP status instead. */
  httpStatus: number | null = null;
  /** Answer every request with this body instead (a hostile or broken answer). */
  rawBody: string | Buffer | null = null;
  private server: LocalServer | null = null;
  private nextId = 156_700_000;

  constructor(private readonly now: () => number = Date.now) {}

  async start(): Promise<this> {
    this.server = await startHttpServer((req, res) => this.handle(req, res));
    return this;
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  /** The list operation's URL, without a key (as an operator configures it). */
  get url(): string {
    if (!this.server) throw new Error('fake API not started');
    return `${this.server.url}${PRESS_RELEASE_PATH}`;
  }

  /** Issues a key (decoded form); a `pending` one is refused as not registered until activated. */
  issueKey(key: string, state: KeyState = 'active'): void {
    this.keys.set(key, state);
  }

  /** Publishes a release approved at `approvedAt` (default: now); returns it for edits. */
  publish(title: string, fields: Partial<FakeRelease> = {}): FakeRelease {
    const approvedAt = fields.approvedAt ?? this.now();
    const release: FakeRelease = {
      newsId: String(++this.nextId),
      title,
      ministry: '기후에너지환경부',
      approvedAt,
      status: 'I',
      modifiedAt: approvedAt,
      embargoAt: null,
      files: [],
      ...fields,
    };
    this.releases.push(release);
    return release;
  }

  /** Updates a release (status `U`, a later ModifyDate), as 정정 does. */
  update(newsId: string, change: Partial<Pick<FakeRelease, 'title' | 'ministry'>>): void {
    const release = this.releases.find((r) => r.newsId === newsId);
    if (!release) throw new Error(`no release ${newsId}`);
    Object.assign(release, change, { status: 'U', modifiedAt: this.now() });
  }

  /** The calls counted on a Korean day (`YYYYMMDD`), answered or refused. */
  callsOn(day: string): number {
    return this.requests.filter((r) => r.day === day).length;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname !== PRESS_RELEASE_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Unexpected errors');
      return;
    }
    const at = this.now();
    const params = Object.fromEntries(url.searchParams);
    const record: FakeApiRequest = {
      at,
      day: koreaDay(at),
      serviceKey: url.searchParams.get('serviceKey'),
      params,
      answered: '00',
    };
    this.requests.push(record);
    const send = (body: string | Buffer) => {
      const text = this.truncated ? body.slice(0, Math.floor(body.length / 2)) : body;
      res.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' }).end(text);
    };
    if (this.httpStatus !== null) {
      res.writeHead(this.httpStatus, { 'content-type': 'text/plain' }).end('Service Unavailable');
      return;
    }
    if (this.rawBody !== null) return send(this.rawBody);
    const refusal = this.gatewayRefusal(record);
    if (refusal) {
      record.answered = refusal[0];
      return send(gatewayError(refusal[0], refusal[1]));
    }
    const problem = this.parameterProblem(url.searchParams);
    if (problem) {
      record.answered = problem[0];
      return send(header(problem[0], problem[1]));
    }
    send(this.list(url.searchParams));
  }

  /** The gateway's check of the key and its quota: `[code, name]` of a refusal, or `null`. */
  private gatewayRefusal(record: FakeApiRequest): [string, string] | null {
    const state = record.serviceKey === null ? undefined : this.keys.get(record.serviceKey);
    if (state === undefined || state === 'pending') {
      return ['30', 'SERVICE_KEY_IS_NOT_REGISTERED_ERROR'];
    }
    if (state === 'denied') return ['20', 'SERVICE_ACCESS_DENIED_ERROR'];
    if (state === 'expired') return ['31', 'DEADLINE_HAS_EXPIRED_ERROR'];
    if (state === 'unregistered-ip') return ['32', 'UNREGISTERED_IP_ERROR'];
    const used = this.requests.filter(
      (r) => r.serviceKey === record.serviceKey && r.day === record.day && r.answered === '00',
    ).length;
    // This request is recorded already, still as answered.
    if (used > this.dailyQuota) return ['22', 'LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR'];
    return null;
  }

  private parameterProblem(query: URLSearchParams): [string, string] | null {
    const start = dayOf(query.get('startDate'));
    const end = dayOf(query.get('endDate'));
    if (start === null || end === null || end < start) {
      return ['10', 'INVALID_REQUEST_PARAMETER_ERROR'];
    }
    if ((end - start) / DAY + 1 > 3) return ['99', 'THREE_DAYS_OVER_ERROR'];
    for (const name of ['pageNo', 'numOfRows']) {
      const value = query.get(name);
      if (value !== null && !/^[1-9]\d{0,5}$/.test(value)) {
        return ['10', 'INVALID_REQUEST_PARAMETER_ERROR'];
      }
    }
    return null;
  }

  private list(query: URLSearchParams): string {
    const start = dayOf(query.get('startDate'))!;
    const end = dayOf(query.get('endDate'))! + DAY;
    const inWindow = this.releases
      .filter((r) => r.approvedAt + KST >= start && r.approvedAt + KST < end)
      .sort((a, b) => b.approvedAt - a.approvedAt);
    const rows = Math.min(Number(query.get('numOfRows') ?? 10), this.maxRows);
    const pageNo = this.ignorePageNo ? 1 : Number(query.get('pageNo') ?? 1);
    const page = inWindow.slice((pageNo - 1) * rows, pageNo * rows);
    const paging = this.omitPaging
      ? ''
      : `<numOfRows>${rows}</numOfRows><pageNo>${pageNo}</pageNo><totalCount>${inWindow.length}</totalCount>`;
    return (
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<response><header><resultCode>0</resultCode><resultMsg>NORMAL SERVICE.</resultMsg></header>' +
      `<body>${paging}${page.map(itemXml).join('')}</body></response>`
    );
  }
}

function itemXml(r: FakeRelease): string {
  const files = r.files
    .map((f) => `<FileName>${escape(f.name)}</FileName><FileUrl>${escape(f.url)}</FileUrl>`)
    .join('');
  return [
    '<NewsItem>',
    r.withoutId ? '' : `<NewsItemId>${r.newsId}</NewsItemId>`,
    `<ContentsStatus>${r.status}</ContentsStatus>`,
    `<ModifyId>editor01</ModifyId><ModifyDate>${apiDate(r.modifiedAt)}</ModifyDate>`,
    `<ApproveDate>${apiDate(r.approvedAt)}</ApproveDate><ApproverName>홍길동</ApproverName>`,
    `<EmbargoDate>${r.embargoAt === null ? '' : apiDate(r.embargoAt)}</EmbargoDate>`,
    `<GroupingCode>${escape(r.ministry)}</GroupingCode>`,
    `<Title><![CDATA[${r.title}]]></Title>`,
    `<SubTitle1>${escape(r.subTitle ?? '')}</SubTitle1><SubTitle2></SubTitle2><SubTitle3></SubTitle3>`,
    '<ContentsType>H</ContentsType>',
    `<DataContents><![CDATA[${r.body ?? ''}]]></DataContents>`,
    `<MinisterCode>${escape(r.ministry)}</MinisterCode>`,
    `<OriginalUrl>${escape(r.originalUrl ?? `http://www.korea.kr/briefing/pressReleaseView.do?newsId=${r.newsId}`)}</OriginalUrl>`,
    files,
    '</NewsItem>',
  ].join('');
}

function gatewayError(code: string, name: string): string {
  return (
    '<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg>' +
    `<returnAuthMsg>${name}</returnAuthMsg><returnReasonCode>${code}</returnReasonCode>` +
    '</cmmMsgHeader></OpenAPI_ServiceResponse>'
  );
}

function header(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><response><header><resultCode>${code}</resultCode><resultMsg>${message}</resultMsg></header></response>`;
}

/** The API's dates: `MM/DD/YYYY HH24:MI:SS`, Korea time. */
export function apiDate(epochMs: number): string {
  const k = new Date(epochMs + KST);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(k.getUTCMonth() + 1)}/${two(k.getUTCDate())}/${k.getUTCFullYear()} ${two(k.getUTCHours())}:${two(k.getUTCMinutes())}:${two(k.getUTCSeconds())}`;
}

export function koreaDay(epochMs: number): string {
  return new Date(epochMs + KST).toISOString().slice(0, 10).replace(/-/g, '');
}

/** A `YYYYMMDD` as the start of that day in "Korean wall-clock" ms, or `null` when it is no date. */
function dayOf(text: string | null): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text ?? '');
  if (!m) return null;
  const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(at).getUTCDate() === Number(m[3]) ? at : null;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
