import type { Dispatcher, Pool as UndiciPool, request as undiciRequest } from 'undici';

/*
 * The parts of undici the proxy uses, each loaded from its own file. undici's index also loads
 * fetch, WebSocket, EventSource, the HTTP caches and the mock agents, and keeps their sources and
 * functions in every proxy's heap: ~3 MB of a ~22 MB idle heap (heap snapshots, undici 7).
 * The paths are undici 7's layout; the proxy's tests load both files (pools for every upstream
 * exchange, the request API in side calls and mirroring).
 */

/** undici's connection pool (`undici/lib/dispatcher/pool.js`), without the index's mixins. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const Pool: typeof UndiciPool = require('undici/lib/dispatcher/pool');
export type Pool = UndiciPool;

type RequestApi = (this: Dispatcher, opts: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
let requestApi: RequestApi | undefined;

/**
 * `dispatcher.request(opts)` (undici's request API, `lib/api/api-request.js`), loaded on first use:
 * the index mixes it into every Dispatcher, this pool class does not have it.
 */
export function requestOn(dispatcher: Dispatcher, opts: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  requestApi ??= require('undici/lib/api/api-request') as RequestApi;
  return requestApi.call(dispatcher, opts);
}

/** undici's top-level `request(url)` on its global dispatcher: loads the whole index, on first use. */
export function requestUrl(...args: Parameters<typeof undiciRequest>): ReturnType<typeof undiciRequest> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('undici') as typeof import('undici')).request(...args);
}
