/**
 * The chat platforms' documented message limits, written from their documentation and not
 * from the bot's renderers, so a renderer cannot agree with itself by mistake. The fakes use
 * them to refuse what the real platform would refuse; tests use them on rendered messages.
 *
 * Lengths are UTF-16 code units (`string.length`). Neither platform says how it counts; a
 * text within the limit in code units is within it in code points too, so this is the
 * conservative reading.
 *
 * Each problem reads `path: what is wrong`. Slack problems start with the error Slack would
 * answer (`invalid_blocks`, `msg_too_long`, `no_text`); Discord answers 400 with code 50035
 * (Invalid Form Body) for all of its problems except the empty message (50006).
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Blank: Slack and Discord both refuse empty and whitespace-only required text. */
const isBlank = (text: string) => text.trim() === '';

/** `https?://host…`, parsed as Discord parses it (WHATWG-style), with no raw whitespace. */
function isHttpUrl(url: string): boolean {
  // Whitespace or control characters are never part of a well-formed URL as sent.
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(url)) return false;
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------
// Slack (docs.slack.dev: chat.postMessage, Block Kit blocks and composition objects)

const SLACK = {
  text: 40_000,
  blocks: 50,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  /** A text object's text in a context block; Block Kit caps text objects at 3,000. */
  contextText: 3000,
  blockId: 255,
} as const;

/**
 * What Slack's `chat.postMessage` (and a command's response) would refuse in `payload`:
 * `text` over 40,000 characters (`msg_too_long`), neither text nor blocks (`no_text`), more
 * than 50 blocks, a section text over 3,000 or empty, a header over 150, a context with
 * more than 10 elements or an element text over 3,000, an empty text object, or a block
 * type this validator does not know (`invalid_blocks`). Empty array: Slack accepts it.
 */
export function slackMessageProblems(payload: { text?: string; blocks?: unknown[] }): string[] {
  const problems: string[] = [];
  const { text, blocks } = payload;
  if (text !== undefined && typeof text !== 'string')
    problems.push('invalid_arguments: text: not a string');
  else if (text !== undefined && text.length > SLACK.text) {
    problems.push(`msg_too_long: text: ${text.length} characters (max ${SLACK.text})`);
  }
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  if (!hasBlocks && (typeof text !== 'string' || isBlank(text))) {
    problems.push('no_text: text: missing or blank, and no blocks');
  }
  if (blocks === undefined) return problems;
  if (!Array.isArray(blocks)) return [...problems, 'invalid_blocks: blocks: not an array'];
  if (blocks.length > SLACK.blocks) {
    problems.push(`invalid_blocks: blocks: ${blocks.length} blocks (max ${SLACK.blocks})`);
  }
  blocks.forEach((block, i) => problems.push(...slackBlockProblems(block, `blocks[${i}]`)));
  return problems;
}

function slackBlockProblems(block: unknown, path: string): string[] {
  const bad = (what: string) => [`invalid_blocks: ${path}${what}`];
  if (!isObject(block)) return bad(': not an object');
  const problems: string[] = [];
  if (block.block_id !== undefined) {
    if (typeof block.block_id !== 'string' || block.block_id.length > SLACK.blockId) {
      problems.push(...bad(`.block_id: not a string of at most ${SLACK.blockId}`));
    }
  }
  switch (block.type) {
    case 'section': {
      if (block.text === undefined && block.fields === undefined) {
        problems.push(...bad(': a section needs text or fields'));
      }
      if (block.text !== undefined) {
        problems.push(...textObjectProblems(block.text, `${path}.text`, SLACK.sectionText));
      }
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields) || block.fields.length > SLACK.sectionFields) {
          problems.push(...bad(`.fields: not an array of at most ${SLACK.sectionFields}`));
        } else {
          block.fields.forEach((field, i) =>
            problems.push(
              ...textObjectProblems(field, `${path}.fields[${i}]`, SLACK.sectionFieldText),
            ),
          );
        }
      }
      break;
    }
    case 'header':
      problems.push(...textObjectProblems(block.text, `${path}.text`, SLACK.headerText, true));
      break;
    case 'context': {
      const elements = block.elements;
      if (!Array.isArray(elements) || elements.length === 0) {
        problems.push(...bad('.elements: a context needs 1 to 10 elements'));
        break;
      }
      if (elements.length > SLACK.contextElements) {
        problems.push(
          ...bad(`.elements: ${elements.length} elements (max ${SLACK.contextElements})`),
        );
      }
      elements.forEach((element, i) => {
        const at = `${path}.elements[${i}]`;
        if (isObject(element) && element.type === 'image') {
          if (typeof element.image_url !== 'string' || typeof element.alt_text !== 'string') {
            problems.push(`invalid_blocks: ${at}: an image needs image_url and alt_text`);
          }
        } else problems.push(...textObjectProblems(element, at, SLACK.contextText));
      });
      break;
    }
    case 'divider':
      break;
    default:
      problems.push(...bad(`.type: ${String(block.type)} is not a block this validator knows`));
  }
  return problems;
}

/** A text composition object: `mrkdwn` or `plain_text` (only `plain_text` where required), 1 to `max` characters. */
function textObjectProblems(
  value: unknown,
  path: string,
  max: number,
  plainOnly = false,
): string[] {
  if (!isObject(value)) return [`invalid_blocks: ${path}: not a text object`];
  const types = plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
  if (typeof value.type !== 'string' || !types.includes(value.type)) {
    return [`invalid_blocks: ${path}.type: must be ${types.join(' or ')}`];
  }
  // Each flag belongs to one type (docs.slack.dev, Text object): Slack refuses it on the other.
  if ('verbatim' in value && (value.type !== 'mrkdwn' || typeof value.verbatim !== 'boolean')) {
    return [`invalid_blocks: ${path}.verbatim: a boolean, on mrkdwn only`];
  }
  if ('emoji' in value && (value.type !== 'plain_text' || typeof value.emoji !== 'boolean')) {
    return [`invalid_blocks: ${path}.emoji: a boolean, on plain_text only`];
  }
  if (typeof value.text !== 'string') return [`invalid_blocks: ${path}.text: not a string`];
  if (isBlank(value.text)) return [`invalid_blocks: ${path}.text: empty`];
  if (value.text.length > max) {
    return [`invalid_blocks: ${path}.text: ${value.text.length} characters (max ${max})`];
  }
  return [];
}

// ---------------------------------------------------------------------------------------
// Discord (discord.com/developers/docs: Message resource, Embed limits, Allowed mentions)

const DISCORD = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  embedsTotal: 6000,
  nonce: 25,
} as const;

/**
 * What Discord's create message (also an interaction response's `data` or an edit of one)
 * would refuse in `body`: content over 2,000; more than 10 embeds; an embed title over 256,
 * description over 4,096, more than 25 fields, a field name over 256 or value over 1,024 or
 * either empty, footer over 2,048, author name over 256, a URL that is not absolute
 * http(s); all embeds' title + description + field names and values + footer + author name
 * over 6,000; a message with neither content nor embeds; a nonce over 25 characters. Also
 * the bot's own rule, since every message must keep it: `allowed_mentions` with `parse: []`
 * and no users or roles listed. Empty array: Discord accepts it.
 */
export function discordMessageProblems(body: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const { content, embeds } = body;
  if (content !== undefined && content !== null) {
    if (typeof content !== 'string') problems.push('content: not a string');
    else if (content.length > DISCORD.content) {
      problems.push(`content: ${content.length} characters (max ${DISCORD.content})`);
    }
  }
  let embedCount = 0;
  if (embeds !== undefined && embeds !== null) {
    if (!Array.isArray(embeds)) problems.push('embeds: not an array');
    else {
      embedCount = embeds.length;
      if (embeds.length > DISCORD.embeds) {
        problems.push(`embeds: ${embeds.length} embeds (max ${DISCORD.embeds})`);
      }
      let total = 0;
      embeds.forEach((embed, i) => {
        const checked = embedProblems(embed, `embeds[${i}]`);
        problems.push(...checked.problems);
        total += checked.size;
      });
      if (total > DISCORD.embedsTotal) {
        problems.push(`embeds: ${total} characters in all (max ${DISCORD.embedsTotal})`);
      }
    }
  }
  if (embedCount === 0 && (typeof content !== 'string' || isBlank(content))) {
    problems.push('content: empty message, no embeds (Discord answers 50006)');
  }
  if (body.nonce !== undefined) {
    const { nonce } = body;
    if (!(typeof nonce === 'string' && nonce.length <= DISCORD.nonce) && !Number.isInteger(nonce)) {
      problems.push(`nonce: not an integer or a string of at most ${DISCORD.nonce}`);
    }
  }
  problems.push(...allowedMentionsProblems(body.allowed_mentions));
  return problems;
}

function allowedMentionsProblems(value: unknown): string[] {
  if (!isObject(value)) return ['allowed_mentions: missing (every message must ping no one)'];
  const problems: string[] = [];
  if (!Array.isArray(value.parse) || value.parse.length > 0) {
    problems.push('allowed_mentions.parse: must be []');
  }
  for (const key of ['users', 'roles'] as const) {
    const list = value[key];
    if (list !== undefined && !(Array.isArray(list) && list.length === 0)) {
      problems.push(`allowed_mentions.${key}: must be absent or []`);
    }
  }
  if (value.replied_user === true) problems.push('allowed_mentions.replied_user: must not be true');
  return problems;
}

/** One embed's problems, and its size toward the message's 6,000. */
function embedProblems(embed: unknown, path: string): { problems: string[]; size: number } {
  if (!isObject(embed)) return { problems: [`${path}: not an object`], size: 0 };
  const problems: string[] = [];
  let size = 0;
  const text = (value: unknown, at: string, max: number, required = false) => {
    if (value === undefined || value === null) {
      if (required) problems.push(`${at}: required`);
      return;
    }
    if (typeof value !== 'string') return void problems.push(`${at}: not a string`);
    size += value.length;
    if (required && isBlank(value)) problems.push(`${at}: empty`);
    if (value.length > max) problems.push(`${at}: ${value.length} characters (max ${max})`);
  };
  const url = (value: unknown, at: string) => {
    if (value === undefined || value === null) return;
    if (typeof value !== 'string' || !isHttpUrl(value)) {
      problems.push(`${at}: not an absolute http(s) URL: ${JSON.stringify(value).slice(0, 80)}`);
    }
  };
  text(embed.title, `${path}.title`, DISCORD.title);
  text(embed.description, `${path}.description`, DISCORD.description);
  url(embed.url, `${path}.url`);
  if (embed.color !== undefined && embed.color !== null) {
    const { color } = embed;
    if (!Number.isInteger(color) || (color as number) < 0 || (color as number) > 0xffffff) {
      problems.push(`${path}.color: not an integer from 0 to 0xffffff`);
    }
  }
  if (embed.fields !== undefined) {
    if (!Array.isArray(embed.fields)) problems.push(`${path}.fields: not an array`);
    else {
      if (embed.fields.length > DISCORD.fields) {
        problems.push(`${path}.fields: ${embed.fields.length} fields (max ${DISCORD.fields})`);
      }
      embed.fields.forEach((field, i) => {
        const at = `${path}.fields[${i}]`;
        if (!isObject(field)) return void problems.push(`${at}: not an object`);
        text(field.name, `${at}.name`, DISCORD.fieldName, true);
        text(field.value, `${at}.value`, DISCORD.fieldValue, true);
        if (field.inline !== undefined && typeof field.inline !== 'boolean') {
          problems.push(`${at}.inline: not a boolean`);
        }
      });
    }
  }
  if (embed.footer !== undefined) {
    const footer = isObject(embed.footer) ? embed.footer : {};
    text(footer.text, `${path}.footer.text`, DISCORD.footer, true);
    url(footer.icon_url, `${path}.footer.icon_url`);
  }
  if (embed.author !== undefined) {
    const author = isObject(embed.author) ? embed.author : {};
    text(author.name, `${path}.author.name`, DISCORD.authorName, true);
    url(author.url, `${path}.author.url`);
    url(author.icon_url, `${path}.author.icon_url`);
  }
  for (const media of ['image', 'thumbnail'] as const) {
    const value = embed[media];
    if (value === undefined) continue;
    const source = isObject(value) ? value.url : undefined;
    // Media may also name an uploaded file.
    if (typeof source !== 'string' || !(isHttpUrl(source) || source.startsWith('attachment://'))) {
      problems.push(`${path}.${media}.url: not an http(s) or attachment:// URL`);
    }
  }
  return { problems, size };
}

// ---------------------------------------------------------------------------------------
// The bot's own rules. The platforms accept messages breaking these, so the fakes must not
// refuse them; tests check rendered messages against them.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Every string in a JSON-like value, with its path. */
function* strings(value: unknown, path: string): Generator<[string, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* strings(item, `${path}[${i}]`);
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value))
      yield* strings(item, path ? `${path}.${key}` : key);
  }
}

function loneSurrogates(value: unknown): string[] {
  const problems: string[] = [];
  for (const [path, text] of strings(value, '')) {
    if (LONE_SURROGATE.test(text)) problems.push(`${path}: a lone surrogate (a cut pair?)`);
  }
  return problems;
}

const unescapeSlack = (text: string) =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/**
 * Where Slack would read markup the bot did not mean: in mrkdwn (top-level `text` and
 * mrkdwn text objects) every `<` and `>` must belong to an http(s) link `<url|label>`;
 * anything else is a special mention (`<!channel>`, `<!here>`, `<@U…>`, `<#C…>`,
 * `<!subteam^…>`), a non-http(s) link or an unescaped control character. Every mrkdwn text
 * object `verbatim` (they all carry text from posts or users, which Slack would otherwise
 * auto-link and parse for mentions). Lone surrogates (a cut through an emoji) anywhere.
 */
export function slackSafetyProblems(payload: { text?: string; blocks?: unknown[] }): string[] {
  const problems = [...loneSurrogates(payload), ...autoParsedTexts(payload.blocks, 'blocks')];
  for (const [path, value] of strings(payload, '')) {
    const mrkdwn = path === 'text' || /\.text$/.test(path);
    if (!mrkdwn || plainTextAt(payload, path)) continue;
    const rest = value.replace(/<([^<>|]*)(\|[^<>]*)?>/g, (whole, target: string) =>
      isHttpUrl(unescapeSlack(target)) ? '' : whole,
    );
    const live = /<[^<>]*>?|>/.exec(rest);
    if (live) problems.push(`${path}: live markup ${JSON.stringify(live[0].slice(0, 60))}`);
  }
  return problems;
}

/** Mrkdwn text objects anywhere in `value` that are not `verbatim: true`. */
function autoParsedTexts(value: unknown, path: string): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => autoParsedTexts(item, `${path}[${i}]`));
  }
  if (!isObject(value)) return [];
  const here =
    value.type === 'mrkdwn' && value.verbatim !== true
      ? [`${path}: a mrkdwn text object without verbatim: true (Slack would auto-link it)`]
      : [];
  return [
    ...here,
    ...Object.entries(value).flatMap(([key, item]) => autoParsedTexts(item, `${path}.${key}`)),
  ];
}

/** Whether the text at `path` (`…text.text`) belongs to a `plain_text` object, which Slack does not parse. */
function plainTextAt(payload: unknown, path: string): boolean {
  if (path === 'text') return false;
  const parent = path
    .replace(/\.text$/, '')
    .split(/\.|(?=\[)/)
    .reduce<unknown>((node, key) => {
      if (!isObject(node) && !Array.isArray(node)) return undefined;
      const index = /^\[(\d+)\]$/.exec(key);
      return index ? (node as unknown[])[Number(index[1])] : (node as Json)[key];
    }, payload);
  return isObject(parent) && parent.type === 'plain_text';
}

/** `[label](target)` whose `[` is not escaped (an even run of backslashes before it). */
const MASKED_LINK = /(?<!\\)(?:\\\\)*\[((?:[^\]\\]|\\.)*)\]\(([^)]*)(\)?)/g;
/** `<scheme:…>` whose `<` is not escaped: an autolink. */
const ANGLE_LINK = /(?<!\\)(?:\\\\)*<([a-z][a-z0-9+.-]*:[^<>]*)>/gi;

/**
 * Links Discord would render that are not whole http(s) links: a masked link `[label](…)`
 * or an autolink `<scheme:…>` in content, an embed description or a field value whose
 * target is not an absolute http(s) URL, holds spaces or parentheses, or is not closed by
 * `)`. Lone surrogates anywhere. (Pings are `allowed_mentions`' job, see
 * {@link discordMessageProblems}.)
 */
export function discordSafetyProblems(body: Record<string, unknown>): string[] {
  const problems = loneSurrogates(body);
  const markdown: Array<[string, unknown]> = [['content', body.content]];
  if (Array.isArray(body.embeds)) {
    body.embeds.forEach((embed: unknown, i) => {
      if (!isObject(embed)) return;
      markdown.push([`embeds[${i}].description`, embed.description]);
      if (Array.isArray(embed.fields)) {
        embed.fields.forEach((field: unknown, j) => {
          if (isObject(field)) markdown.push([`embeds[${i}].fields[${j}].value`, field.value]);
        });
      }
    });
  }
  for (const [path, text] of markdown) {
    if (typeof text !== 'string') continue;
    for (const [, , target = '', closed] of text.matchAll(MASKED_LINK)) {
      if (!closed || target.includes('(') || !isHttpUrl(target)) {
        problems.push(`${path}: link target ${JSON.stringify(target.slice(0, 60))}`);
      }
    }
    for (const [, target = ''] of text.matchAll(ANGLE_LINK)) {
      if (!isHttpUrl(target)) problems.push(`${path}: link <${target.slice(0, 60)}>`);
    }
  }
  return problems;
}
