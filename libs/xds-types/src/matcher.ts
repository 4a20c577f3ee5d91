/** envoy.type.matcher.v3 and route header / query matchers. */
import type { Int64Range } from './core';

/** @proto envoy.type.matcher.v3.RegexMatcher */
export interface RegexMatcher {
  /** RE2 syntax. */
  regex: string;
}

/** @proto envoy.type.matcher.v3.RegexMatchAndSubstitute */
export interface RegexMatchAndSubstitute {
  pattern: RegexMatcher;
  substitution: string;
}

/** One of exact | prefix | suffix | safeRegex | contains. @proto envoy.type.matcher.v3.StringMatcher */
export interface StringMatcher {
  exact?: string;
  prefix?: string;
  suffix?: string;
  safeRegex?: RegexMatcher;
  contains?: string;
  ignoreCase?: boolean;
}

/**
 * One of stringMatch | presentMatch | rangeMatch (| the deprecated exactMatch, safeRegexMatch,
 * prefixMatch, suffixMatch, containsMatch, which grpc-js-xds and Envoy still accept).
 * @proto envoy.config.route.v3.HeaderMatcher
 */
export interface HeaderMatcher {
  name: string;
  stringMatch?: StringMatcher;
  presentMatch?: boolean;
  rangeMatch?: Int64Range;
  /** @deprecated use stringMatch.exact */
  exactMatch?: string;
  /** @deprecated use stringMatch.safeRegex */
  safeRegexMatch?: RegexMatcher;
  /** @deprecated use stringMatch.prefix */
  prefixMatch?: string;
  /** @deprecated use stringMatch.suffix */
  suffixMatch?: string;
  /** @deprecated use stringMatch.contains */
  containsMatch?: string;
  invertMatch?: boolean;
  treatMissingHeaderAsEmpty?: boolean;
}

/** One of stringMatch | presentMatch. @proto envoy.config.route.v3.QueryParameterMatcher */
export interface QueryParameterMatcher {
  name: string;
  stringMatch?: StringMatcher;
  presentMatch?: boolean;
}
