import type { Diagnostics } from '../../core/diagnostics';
import { checkRE2 } from '../checks/re2';
import type { StringMatch } from '../messages/string-match';

/**
 * Istio `validateStringMatch`: prefix matches may not be empty (Envoy's StringMatcher rejects them;
 * only `uri` allows an empty prefix, see {@link validateStringMatchRegex}), regexes must be RE2.
 */
export function validateStringMatch(d: Diagnostics, path: string, m: StringMatch | undefined): void {
  if (!m) return;
  if (m.prefix === '') d.error(`${path}.prefix`, 'prefix string match should not be empty');
  validateStringMatchRegex(d, path, m);
}

/** Istio `validateStringMatchRegexp`: only the regex (non-empty, RE2) is checked. */
export function validateStringMatchRegex(d: Diagnostics, path: string, m: StringMatch | undefined): void {
  if (m?.regex === undefined) return;
  d.errorIf(`${path}.regex`, m.regex === '' ? 'regex string match should not be empty' : checkRE2(m.regex));
}
