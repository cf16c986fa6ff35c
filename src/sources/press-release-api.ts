/**
 * The 정책브리핑 보도자료 API of data.go.kr (dataset 15095295): every ministry's press releases,
 * read with the operator's service key (`DATA_GO_KR_SERVICE_KEY`). What the configuration, the
 * chat commands and the reader all need to know of its address.
 */

/** The API's host, as the URL parser writes it (lower case). */
const API_HOST = 'apis.data.go.kr';

/** The list operation's path (paths are case-sensitive on the gateway). */
const API_PATH = '/1371000/pressReleaseService/pressReleaseList';

/** The API's address as the README and the configuration examples give it. */
export const PRESS_RELEASE_API_URL = `https://${API_HOST}${API_PATH}`;

/** The variable the API's service key is read from: never a URL's query, never chat. */
export const SERVICE_KEY_VARIABLE = 'DATA_GO_KR_SERVICE_KEY';

/**
 * Whether `url` is the 정책브리핑 보도자료 API's list operation, over http or https, whatever
 * query the operator added. Known by its path on any host: the path is the API's alone, and a
 * deployment may reach data.go.kr through a relay of its own (or a test, through a local fake).
 */
export function isPressReleaseApiUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    (parsed.protocol === 'https:' || parsed.protocol === 'http:') &&
    parsed.pathname.replace(/\/+$/, '') === API_PATH
  );
}

/**
 * Whether the URL carries a service key in its query (`serviceKey`, in any case): the key
 * belongs in {@link SERVICE_KEY_VARIABLE}, where it is treated as a secret.
 */
export function hasServiceKeyParam(url: string): boolean {
  try {
    return [...new URL(url).searchParams.keys()].some(
      (name) => name.toLowerCase() === 'servicekey',
    );
  } catch {
    return false;
  }
}
