/** Where the project lives; named in the User-Agent so site owners can reach us. */
export const HOMEPAGE = 'https://github.com/esg-news-bot/esg-news-bot';
export const VERSION = '0.1.0';
export const USER_AGENT = `esg-news-bot/${VERSION} (+${HOMEPAGE})`;
