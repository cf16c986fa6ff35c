import { ADMIN_TOKEN } from './admin-panel.fixture.js';

/** An answer of the panel, its page read. */
export interface PanelAnswer {
  status: number;
  headers: Headers;
  html: string;
}

/**
 * A browser as far as the panel's HTTP goes: keeps the session cookie, sends the panel's own
 * `Origin` with every post unless told otherwise, and finds the CSRF token in the last page.
 */
export class PanelClient {
  cookie: string | null = null;
  lastHtml = '';

  constructor(
    readonly origin: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  async get(path: string): Promise<PanelAnswer> {
    return this.send(path, { method: 'GET' });
  }

  /**
   * Posts a form. `csrf` defaults to the token of the last page; `origin` to the panel's own
   * (`null`: none sent); `referer` is sent only when given.
   */
  async post(
    path: string,
    fields: Record<string, string>,
    options: { csrf?: string | null; origin?: string | null; referer?: string } = {},
  ): Promise<PanelAnswer> {
    const csrf = options.csrf === undefined ? this.csrfToken() : options.csrf;
    const body = new URLSearchParams({ ...fields, ...(csrf === null ? {} : { csrf }) });
    const origin = options.origin === undefined ? this.origin : options.origin;
    return this.send(path, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(origin === null ? {} : { origin }),
        ...(options.referer ? { referer: options.referer } : {}),
      },
      body: body.toString(),
    });
  }

  /** Logs in with `token` (the admin token by default); the cookie is kept when one is set. */
  async login(token = ADMIN_TOKEN): Promise<PanelAnswer> {
    return this.post('/admin/login', { token }, { csrf: null });
  }

  /** The CSRF token of the last page read. */
  csrfToken(): string | null {
    return /name="csrf" value="([^"]+)"/.exec(this.lastHtml)?.[1] ?? null;
  }

  private async send(path: string, init: RequestInit): Promise<PanelAnswer> {
    const response = await fetch(`${this.origin}${path}`, {
      ...init,
      redirect: 'manual',
      headers: {
        ...this.headers,
        ...(init.headers as Record<string, string> | undefined),
        ...(this.cookie ? { cookie: this.cookie } : {}),
      },
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) {
      const pair = setCookie.split(';')[0]!;
      this.cookie = pair.endsWith('=') ? null : pair;
    }
    const html = await response.text();
    if (html) this.lastHtml = html;
    return { status: response.status, headers: response.headers, html };
  }
}
