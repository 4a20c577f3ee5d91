import type { HeaderMatcher, QueryParameterMatcher, StringMatcher } from '../config/model';

/** Evaluates an envoy.type.matcher.v3.StringMatcher (regexes already compiled full-match). */
export function matchString(m: StringMatcher, value: string): boolean {
  if (m.kind === 'regex') return m.regex.test(value);
  const v = m.ignoreCase ? value.toLowerCase() : value;
  const want = m.ignoreCase ? m.value.toLowerCase() : m.value;
  switch (m.kind) {
    case 'exact':
      return v === want;
    case 'prefix':
      return v.startsWith(want);
    case 'suffix':
      return v.endsWith(want);
    case 'contains':
      return v.includes(want);
  }
}

/**
 * Evaluates a HeaderMatcher against a header value (multiple values already joined with `,`, as
 * Envoy does). `undefined` means the header is absent: an absent header never matches (then
 * `invert` applies) unless `treat_missing_header_as_empty` is set.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-headermatcher
 */
export function matchHeader(m: HeaderMatcher, value: string | undefined): boolean {
  let v = value;
  if (v === undefined && m.treatMissingAsEmpty && m.match.kind !== 'present') v = '';
  let matched: boolean;
  if (m.match.kind === 'present') matched = (v !== undefined) === m.match.present;
  else if (v === undefined) matched = false;
  else if (m.match.kind === 'range') matched = matchRange(v, m.match.start, m.match.end);
  else matched = matchString(m.match.matcher, v);
  return m.invert ? !matched : matched;
}

function matchRange(value: string, start: number, end: number): boolean {
  if (!/^-?\d+$/.test(value)) return false;
  const n = Number(value);
  return n >= start && n < end;
}

/** QueryParameterMatcher: string match on the first value, or presence when no matcher is set. */
export function matchQuery(m: QueryParameterMatcher, params: URLSearchParams): boolean {
  const v = params.get(m.name);
  if (v === null) return false;
  return m.matcher ? matchString(m.matcher, v) : true;
}
