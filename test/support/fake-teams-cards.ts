import { isHttpUrl, loneSurrogates, markdownHazards } from './fake-webhook-markup.js';
import { isObject } from './fake-webhook-server.js';

/**
 * Adaptive Cards as Teams takes them from a webhook, written from the documentation and not
 * from the bot's renderer:
 * - the message: `type` "message", `attachments` of `contentType`
 *   "application/vnd.microsoft.card.adaptive" with the card as `content` (Microsoft Learn,
 *   Sending messages to connectors and webhooks: "The `type` field must be `message`" …);
 * - versions up to 1.5 ("Teams is also limited to version 1.5", Copilot Studio, Adaptive Cards
 *   overview); each element and action no newer than the card says it is (Adaptive Cards schema
 *   explorer: RichTextBlock and ActionSet 1.2, a Container's `selectAction` 1.1, Table 1.5);
 * - actions: "All native adaptive card schema elements, except `Action.Submit`, are fully
 *   supported"; `Action.Execute` has no bot to reach behind a webhook;
 * - required properties per the schema (a TextBlock's `text`, a fact's `title` and `value`,
 *   a RichTextBlock's `inlines`, a Container's `items`, an OpenUrl's `url`).
 * Elements this fake does not know are refused: the strict reading (Teams would drop them or
 * show the fallback text, which the bot never sets).
 */

type Json = Record<string, unknown>;

const VERSIONS = ['1.0', '1.1', '1.2', '1.3', '1.4', '1.5'];
const ELEMENT_SINCE: Record<string, string> = {
  TextBlock: '1.0',
  Image: '1.0',
  Container: '1.0',
  ColumnSet: '1.0',
  FactSet: '1.0',
  ImageSet: '1.0',
  RichTextBlock: '1.2',
  ActionSet: '1.2',
  Table: '1.5',
};
const ACTION_SINCE: Record<string, string> = {
  'Action.OpenUrl': '1.0',
  'Action.ShowCard': '1.0',
  'Action.ToggleVisibility': '1.2',
};
/** Enum values are case-insensitive in the schema's renderers. */
const ENUMS: Record<string, string[]> = {
  size: ['default', 'small', 'medium', 'large', 'extralarge'],
  weight: ['default', 'lighter', 'bolder'],
  color: ['default', 'dark', 'light', 'accent', 'good', 'warning', 'attention'],
};

const newer = (version: string, than: string) => VERSIONS.indexOf(version) > VERSIONS.indexOf(than);
const isText = (value: unknown): value is string =>
  typeof value === 'string' && value.trim() !== '';

/** What Teams would refuse in a webhook message; empty when it would post it. */
export function teamsMessageProblems(body: unknown): string[] {
  if (!isObject(body)) return ['the body is not a JSON object'];
  const problems: string[] = [];
  if (body.type !== 'message') problems.push('type: must be "message"');
  const attachments = body.attachments;
  if (!Array.isArray(attachments) || attachments.length === 0) {
    return [...problems, 'attachments: an array of at least one card is required'];
  }
  attachments.forEach((attachment: unknown, i) => {
    const path = `attachments[${i}]`;
    if (!isObject(attachment)) return problems.push(`${path}: not an object`);
    if (attachment.contentType !== 'application/vnd.microsoft.card.adaptive') {
      problems.push(`${path}.contentType: must be application/vnd.microsoft.card.adaptive`);
    }
    if (attachment.contentUrl !== undefined && attachment.contentUrl !== null) {
      problems.push(`${path}.contentUrl: must be null for an inline card`);
    }
    problems.push(...cardProblems(attachment.content, `${path}.content`));
  });
  return problems;
}

function cardProblems(card: unknown, path: string): string[] {
  if (!isObject(card)) return [`${path}: the card is not an object`];
  const problems: string[] = [];
  if (card.type !== 'AdaptiveCard') problems.push(`${path}.type: must be AdaptiveCard`);
  const version = card.version;
  if (typeof version !== 'string' || !VERSIONS.includes(version)) {
    return [...problems, `${path}.version: must be one of ${VERSIONS.join(', ')}`];
  }
  if (card.$schema !== undefined && typeof card.$schema !== 'string') {
    problems.push(`${path}.$schema: not a string`);
  }
  if (!Array.isArray(card.body)) problems.push(`${path}.body: must be an array of elements`);
  else
    card.body.forEach((el, i) =>
      problems.push(...elementProblems(el, `${path}.body[${i}]`, version)),
    );
  if (card.actions !== undefined) {
    if (!Array.isArray(card.actions)) problems.push(`${path}.actions: not an array`);
    else
      card.actions.forEach((a, i) =>
        problems.push(...actionProblems(a, `${path}.actions[${i}]`, version)),
      );
  }
  return problems;
}

function styleProblems(value: Json, path: string): string[] {
  const problems: string[] = [];
  for (const [key, allowed] of Object.entries(ENUMS)) {
    const given = value[key];
    if (
      given !== undefined &&
      (typeof given !== 'string' || !allowed.includes(given.toLowerCase()))
    ) {
      problems.push(`${path}.${key}: not one of ${allowed.join(', ')}`);
    }
  }
  for (const key of ['isSubtle', 'wrap', 'italic', 'strikethrough']) {
    if (value[key] !== undefined && typeof value[key] !== 'boolean') {
      problems.push(`${path}.${key}: not a boolean`);
    }
  }
  return problems;
}

function elementProblems(element: unknown, path: string, version: string): string[] {
  if (!isObject(element)) return [`${path}: not an object`];
  const type = element.type;
  const since = typeof type === 'string' ? ELEMENT_SINCE[type] : undefined;
  if (since === undefined) return [`${path}.type: ${String(type)} is not an element Teams renders`];
  if (newer(since, version)) return [`${path}: ${String(type)} needs version ${since}`];
  const problems = styleProblems(element, path);
  const items = (key: string, check: (item: unknown, at: string) => string[]) => {
    const list = element[key];
    if (!Array.isArray(list) || list.length === 0)
      return [`${path}.${key}: a non-empty array is required`];
    return list.flatMap((item, i) => check(item, `${path}.${key}[${i}]`));
  };
  switch (type) {
    case 'TextBlock':
      if (!isText(element.text)) problems.push(`${path}.text: required`);
      break;
    case 'RichTextBlock':
      problems.push(
        ...items('inlines', (inline, at) => {
          if (typeof inline === 'string') return inline === '' ? [`${at}: empty`] : [];
          if (!isObject(inline) || inline.type !== 'TextRun') return [`${at}: not a TextRun`];
          return [
            ...(isText(inline.text) ? [] : [`${at}.text: required`]),
            ...styleProblems(inline, at),
          ];
        }),
      );
      break;
    case 'FactSet':
      problems.push(
        ...items('facts', (fact, at) =>
          isObject(fact) && typeof fact.title === 'string' && isText(fact.value)
            ? []
            : [`${at}: a fact needs a title and a value`],
        ),
      );
      break;
    case 'Container':
      problems.push(...items('items', (item, at) => elementProblems(item, at, version)));
      if (element.selectAction !== undefined) {
        if (newer('1.1', version)) problems.push(`${path}.selectAction: needs version 1.1`);
        problems.push(
          ...actionProblems(element.selectAction, `${path}.selectAction`, version, true),
        );
      }
      break;
    case 'ActionSet':
      problems.push(...items('actions', (action, at) => actionProblems(action, at, version)));
      break;
    case 'Image':
      if (typeof element.url !== 'string' || !isHttpUrl(element.url))
        problems.push(`${path}.url: an http(s) URL is required`);
      break;
    default:
      // ColumnSet, ImageSet, Table: never sent by the bot; refused rather than half-checked.
      problems.push(`${path}: ${String(type)} is not checked by this fake`);
  }
  return problems;
}

function actionProblems(
  action: unknown,
  path: string,
  version: string,
  selectAction = false,
): string[] {
  if (!isObject(action)) return [`${path}: not an object`];
  const type = action.type;
  const since = typeof type === 'string' ? ACTION_SINCE[type] : undefined;
  if (since === undefined)
    return [`${path}.type: ${String(type)} is not an action a webhook card can use`];
  if (newer(since, version)) return [`${path}: ${String(type)} needs version ${since}`];
  if (selectAction && type === 'Action.ShowCard')
    return [`${path}: a selectAction cannot show a card`];
  if (action.title !== undefined && typeof action.title !== 'string')
    return [`${path}.title: not a string`];
  if (type === 'Action.OpenUrl' && (typeof action.url !== 'string' || !isHttpUrl(action.url))) {
    return [`${path}.url: an http(s) URL is required`];
  }
  return [];
}

/** Every card of the message. */
function cards(body: Json): Json[] {
  const attachments = Array.isArray(body.attachments) ? body.attachments : [];
  return attachments.flatMap((a: unknown) =>
    isObject(a) && isObject(a.content) ? [a.content] : [],
  );
}

/** Walks every element of a card, containers' items included. */
function elements(list: unknown, visit: (element: Json) => void): void {
  if (!Array.isArray(list)) return;
  for (const element of list) {
    if (!isObject(element)) continue;
    visit(element);
    elements(element.items, visit);
  }
}

/** Everything the channel shows: texts, facts, and each link's label with its target. */
export function teamsShownText(body: Json): string {
  const lines: string[] = [];
  const link = (action: unknown) => {
    if (isObject(action) && typeof action.url === 'string') {
      lines.push(`${typeof action.title === 'string' ? action.title : ''} (${action.url})`);
    }
  };
  for (const card of cards(body)) {
    elements(card.body, (element) => {
      if (typeof element.text === 'string') lines.push(element.text);
      if (Array.isArray(element.inlines)) {
        lines.push(
          element.inlines
            .map((i: unknown) => (typeof i === 'string' ? i : isObject(i) ? String(i.text) : ''))
            .join(''),
        );
      }
      if (Array.isArray(element.facts)) {
        for (const fact of element.facts)
          if (isObject(fact)) lines.push(`${String(fact.title)}: ${String(fact.value)}`);
      }
      link(element.selectAction);
    });
    if (Array.isArray(card.actions)) card.actions.forEach(link);
  }
  return lines.join('\n');
}

/** Only TextBlocks and no buttons: the plainest card Teams takes. */
export function teamsCardIsRich(body: Json): boolean {
  return cards(body).some((card) => {
    let rich = Array.isArray(card.actions) && card.actions.length > 0;
    elements(card.body, (element) => {
      if (element.type !== 'TextBlock') rich = true;
    });
    return rich;
  });
}

/**
 * What Teams would read as markup or a mention: Markdown in TextBlocks and facts ("Markdown
 * is supported in Adaptive Card Textblock field, and Fact.Title and Fact.Value", Teams, Format
 * cards; a TextRun's text is never Markdown), and any mention entity (`msteams.entities`
 * turns `<at>…</at>` into a mention; the bot never mentions anyone).
 */
export function teamsHazards(body: Json): string[] {
  const problems = loneSurrogates(body);
  cards(body).forEach((card, c) => {
    const msteams = card.msteams;
    if (isObject(msteams) && Array.isArray(msteams.entities) && msteams.entities.length > 0) {
      problems.push(`card ${c}: msteams.entities would mention someone`);
    }
    elements(card.body, (element) => {
      if (element.type === 'TextBlock' && typeof element.text === 'string') {
        problems.push(...markdownHazards(element.text, `card ${c} TextBlock`));
      }
      if (Array.isArray(element.facts)) {
        for (const fact of element.facts) {
          if (!isObject(fact)) continue;
          problems.push(...markdownHazards(String(fact.title), `card ${c} fact title`));
          problems.push(...markdownHazards(String(fact.value), `card ${c} fact value`));
        }
      }
    });
  });
  return problems;
}
