import type { StringMatch } from '@mizzen/config-api';
import type { HeaderMatcher, StringMatcher } from '@mizzen/xds-types';

/** Istio StringMatch (exact | prefix | regex) to Envoy's StringMatcher (regex is RE2 `safe_regex`). */
export function toStringMatcher(m: StringMatch, ignoreCase = false): StringMatcher | undefined {
  if (m.exact !== undefined) return { exact: m.exact, ...(ignoreCase ? { ignoreCase } : {}) };
  if (m.prefix !== undefined) return { prefix: m.prefix, ...(ignoreCase ? { ignoreCase } : {}) };
  if (m.regex !== undefined) return { safeRegex: { regex: m.regex } };
  return undefined;
}

/**
 * A header condition. An empty StringMatch means "present" (Istio: `headers: {x: {}}`).
 * `invert` implements `withoutHeaders`.
 */
export function toHeaderMatcher(name: string, m: StringMatch, invert = false): HeaderMatcher {
  const sm = toStringMatcher(m);
  const base: HeaderMatcher = sm ? { name, stringMatch: sm } : { name, presentMatch: true };
  return invert ? { ...base, invertMatch: true } : base;
}
