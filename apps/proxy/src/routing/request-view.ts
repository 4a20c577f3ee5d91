
/**
 * What routing sees of a request: Envoy's pseudo-headers plus ordinary headers (lower-cased).
 * `path` includes the query string, as `:path` does.
 */
export interface RequestView {
  method: string;
  authority: string;
  path: string;
  scheme: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** A header's value as matchers see it: repeated values joined with `,`; pseudo-headers resolved. */
export function headerValue(req: RequestView, name: string): string | undefined {
  switch (name) {
    case ':method':
      return req.method;
    case ':authority':
    case 'host':
      return req.authority;
    case ':path':
      return req.path;
    case ':scheme':
      return req.scheme;
  }
  const v = req.headers[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(',') : v;
}

/** Splits `:path` into the path used for matching (no query) and the query string (with `?`). */
export function splitPath(path: string): { pathOnly: string; query: string } {
  const q = path.indexOf('?');
  return q < 0 ? { pathOnly: path, query: '' } : { pathOnly: path.slice(0, q), query: path.slice(q) };
}
