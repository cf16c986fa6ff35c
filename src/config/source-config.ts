import { isCommandWord } from '../commands/parse-command.js';
import { redactUrl } from '../model/source-error.js';
import { parsePollOptions, type SourcePollOptions } from './source-poll-options.js';

/** A source the operator configured: its name (the id in chat and in Redis) and its URL. */
export interface SourceConfig {
  name: string;
  /** Without the fragment, which held the polling options. */
  url: string;
  /** Its own polling rhythm, from the URL's fragment (see `SourcePollOptions`). */
  poll?: SourcePollOptions;
}

/** The name `FEED_URL` alone gets, so deployments from before `SOURCES` keep their data. */
export const DEFAULT_SOURCE_NAME = 'esg';

/** Source names: short, readable in chat, safe in Redis keys and BullMQ job ids. */
export const SOURCE_NAME = /^[a-z0-9-]{1,20}$/;

/**
 * Reads `SOURCES`: `name=url` entries separated by spaces, commas or newlines, the first
 * being the default source; a URL's fragment may hold the source's polling options. Returns the sources, or the problems found (values of URLs are
 * never echoed: they may carry access keys).
 */
export function parseSources(text: string): { sources: SourceConfig[]; problems: string[] } {
  const sources: SourceConfig[] = [];
  const problems: string[] = [];
  for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
    const at = entry.indexOf('=');
    const name = at < 0 ? '' : entry.slice(0, at);
    const written = at < 0 ? entry : entry.slice(at + 1);
    // The fragment holds polling options; it is never sent to the server, nor read from here.
    const hash = written.indexOf('#');
    const url = hash < 0 ? written : written.slice(0, hash);
    if (at < 0 || !SOURCE_NAME.test(name)) {
      // An entry holding a URL is shown redacted: its query may carry an access key.
      const shown = /:\/\//.test(entry) ? redactUrl(entry.slice(entry.search(/https?:/i))) : name;
      problems.push(
        `"${shown}" must be name=url with a name of 1-20 lower-case letters, digits or -`,
      );
      continue;
    }
    if (isCommandWord(name)) {
      problems.push(`${name}: a command word of /news cannot name a source`);
      continue;
    }
    if (!isHttpUrl(url)) {
      problems.push(`${name}: the URL must be an http(s) URL`);
      continue;
    }
    const poll = hash < 0 ? {} : parsePollOptions(written.slice(hash + 1));
    if (typeof poll === 'string') {
      problems.push(`${name}: ${poll}`);
      continue;
    }
    if (sources.some((s) => s.name === name)) problems.push(`${name}: named twice`);
    else if (sources.some((s) => sameUrl(s.url, url)))
      problems.push(`${name}: the URL of another source`);
    else sources.push(Object.keys(poll).length > 0 ? { name, url, poll } : { name, url });
  }
  if (sources.length === 0 && problems.length === 0) problems.push('lists no source');
  return { sources, problems };
}

/** Whether two URLs name the same source: compared as the URL parser writes them. */
export function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * A readable source name for a URL someone added from chat: its host without `www.`, dots
 * turned into dashes, cut to 20 characters (`https://me.go.kr/rss` → `me-go-kr`); `taken`
 * names get a number (`me-go-kr-2`).
 */
export function sourceNameFor(url: string, taken: ReadonlySet<string>): string {
  const host = new URL(url).hostname.replace(/^www\./, '');
  const base =
    host
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 20)
      .replace(/-+$/, '') || 'feed';
  if (!taken.has(base) && !isCommandWord(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const name = `${base.slice(0, 20 - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!taken.has(name)) return name;
  }
}
