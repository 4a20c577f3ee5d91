/**
 * Validated matcher shapes shared by routes and headers. Regexes are compiled once, at translation
 * time, with RE2's full-match semantics (see `compileRe2`).
 */

/** envoy.type.matcher.v3.StringMatcher: https://www.envoyproxy.io/docs/envoy/latest/api-v3/type/matcher/v3/string.proto */
export type StringMatcher =
  | { kind: 'exact' | 'prefix' | 'suffix' | 'contains'; value: string; ignoreCase: boolean }
  | { kind: 'regex'; regex: RegExp };

export type HeaderMatch =
  | { kind: 'string'; matcher: StringMatcher }
  | { kind: 'present'; present: boolean }
  /** Int64Range: start inclusive, end exclusive. */
  | { kind: 'range'; start: number; end: number };

/** envoy.config.route.v3.HeaderMatcher: https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-headermatcher */
export interface HeaderMatcher {
  /** Lower-cased header name; pseudo-headers `:method`, `:authority`, `:path`, `:scheme` included. */
  name: string;
  match: HeaderMatch;
  invert: boolean;
  treatMissingAsEmpty: boolean;
}

/** QueryParameterMatcher: a string match, or presence when `matcher` is absent. */
export interface QueryParameterMatcher {
  name: string;
  matcher?: StringMatcher;
}

export type PathMatch =
  | { kind: 'prefix' | 'exact' | 'separated-prefix'; value: string; caseSensitive: boolean }
  | { kind: 'regex'; regex: RegExp };
