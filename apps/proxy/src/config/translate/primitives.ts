import type * as xds from '@mizzen/xds-types';
import { durationToMs } from '@mizzen/xds-types';
import type { HeaderMatcher, HeaderMutation, HeaderValueOption, StringMatcher } from '../model';
import { type Issues, at } from './issues';

/** A Duration in ms (`fallback` when absent); negative or malformed durations are errors. */
export function durationMs(d: xds.Duration | undefined, path: string, issues: Issues, fallback: number): number {
  if (d === undefined) return fallback;
  const ms = durationToMs(d) ?? fallback;
  if (!Number.isFinite(ms) || ms < 0 || (d.nanos ?? 0) < 0 || (d.nanos ?? 0) >= 1e9) {
    issues.error(path, `invalid duration ${JSON.stringify(d)}`);
    return fallback;
  }
  return ms;
}

/** Constructs JavaScript has and RE2 does not: lookaround and backreferences. */
const NOT_RE2 = /\(\?[=!]|\(\?<[=!]|\\[1-9]/;

/**
 * Compiles an RE2 pattern (Envoy's safe_regex) to a JS RegExp. `full` anchors it, since Envoy
 * requires a regex match to cover the whole value; unanchored patterns get the `g` flag (for
 * rewrites). RE2's `(?P<name>` groups and leading `(?i)`/`(?s)`/`(?m)` flags are translated;
 * lookaround and backreferences are rejected as RE2 does.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/type/matcher/v3/regex.proto
 */
export function compileRe2(pattern: string, path: string, issues: Issues, full = true): RegExp | undefined {
  let src = pattern;
  let flags = '';
  const lead = /^\(\?([ism]+)\)/.exec(src);
  if (lead) {
    flags = [...new Set(lead[1])].join('');
    src = src.slice(lead[0].length);
  }
  if (NOT_RE2.test(src)) {
    issues.error(path, `regex ${JSON.stringify(pattern)} uses lookaround or backreferences, which RE2 does not support`);
    return undefined;
  }
  src = src.replace(/\(\?P</g, '(?<');
  try {
    return full ? new RegExp(`^(?:${src})$`, flags) : new RegExp(src, `${flags}g`);
  } catch (err) {
    issues.error(path, `invalid regex ${JSON.stringify(pattern)}: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

/** envoy.type.matcher.v3.StringMatcher: exactly one of exact | prefix | suffix | contains | safeRegex. */
export function stringMatcher(m: xds.StringMatcher, path: string, issues: Issues): StringMatcher | undefined {
  const ignoreCase = m.ignoreCase ?? false;
  const set = (['exact', 'prefix', 'suffix', 'contains', 'safeRegex'] as const).filter((k) => m[k] !== undefined);
  if (set.length !== 1) {
    issues.error(path, set.length ? `only one of ${set.join(', ')} may be set` : 'one of exact, prefix, suffix, contains, safeRegex is required');
    return undefined;
  }
  const kind = set[0];
  if (kind === 'safeRegex') {
    const regex = compileRe2(m.safeRegex?.regex ?? '', at(path, 'safeRegex.regex'), issues);
    return regex && { kind: 'regex', regex };
  }
  return { kind, value: m[kind] ?? '', ignoreCase };
}

/** Reads a HeaderMatcher's match specifier, including the deprecated direct fields. */
function headerMatch(h: xds.HeaderMatcher, path: string, issues: Issues): HeaderMatcher['match'] | undefined {
  const legacy: Array<['exact' | 'prefix' | 'suffix' | 'contains', string | undefined]> = [
    ['exact', h.exactMatch],
    ['prefix', h.prefixMatch],
    ['suffix', h.suffixMatch],
    ['contains', h.containsMatch],
  ];
  const specifiers = [h.stringMatch, h.presentMatch, h.rangeMatch, h.safeRegexMatch, ...legacy.map(([, v]) => v)].filter((v) => v !== undefined);
  if (specifiers.length > 1) issues.error(path, 'only one header match specifier may be set');
  if (h.stringMatch) {
    const matcher = stringMatcher(h.stringMatch, at(path, 'stringMatch'), issues);
    return matcher && { kind: 'string', matcher };
  }
  if (h.rangeMatch) return { kind: 'range', start: Number(h.rangeMatch.start), end: Number(h.rangeMatch.end) };
  if (h.safeRegexMatch) {
    const regex = compileRe2(h.safeRegexMatch.regex, at(path, 'safeRegexMatch.regex'), issues);
    return regex && { kind: 'string', matcher: { kind: 'regex', regex } };
  }
  for (const [kind, value] of legacy) if (value !== undefined) return { kind: 'string', matcher: { kind, value, ignoreCase: false } };
  // No specifier: Envoy treats it as present_match (the header must be present).
  return { kind: 'present', present: h.presentMatch ?? true };
}

export function headerMatcher(h: xds.HeaderMatcher, path: string, issues: Issues): HeaderMatcher | undefined {
  if (!h.name) issues.error(at(path, 'name'), 'header name is required');
  const match = headerMatch(h, path, issues);
  if (!match || !h.name) return undefined;
  return { name: h.name.toLowerCase(), match, invert: h.invertMatch ?? false, treatMissingAsEmpty: h.treatMissingHeaderAsEmpty ?? false };
}

const APPEND_ACTIONS: Record<xds.HeaderAppendAction, HeaderValueOption['action']> = {
  APPEND_IF_EXISTS_OR_ADD: 'append',
  ADD_IF_ABSENT: 'add-if-absent',
  OVERWRITE_IF_EXISTS_OR_ADD: 'overwrite-or-add',
  OVERWRITE_IF_EXISTS: 'overwrite-if-exists',
};

/** Headers the proxy owns: Envoy rejects adding or removing pseudo-headers and `host`. */
function protectedHeader(name: string): boolean {
  return name.startsWith(':') || name === 'host';
}

function headerOption(o: xds.HeaderValueOption, path: string, issues: Issues): HeaderValueOption | undefined {
  const key = (o.header?.key ?? '').toLowerCase();
  if (!key || protectedHeader(key)) {
    issues.error(at(path, 'header.key'), key ? `header "${key}" cannot be modified` : 'header key is required');
    return undefined;
  }
  if (o.append !== undefined && o.appendAction !== undefined) issues.error(path, 'append and appendAction are mutually exclusive');
  // The deprecated `append` defaults to true; append=false means overwrite.
  const action = o.appendAction ? APPEND_ACTIONS[o.appendAction] : o.append?.value === false ? 'overwrite-or-add' : 'append';
  return { key, value: o.header.value ?? '', action };
}

/** One level's headers_to_add / headers_to_remove. */
export function headerMutation(add: xds.HeaderValueOption[] | undefined, remove: string[] | undefined, path: string, issues: Issues, addField: string, removeField: string): HeaderMutation {
  const out: HeaderValueOption[] = [];
  (add ?? []).forEach((o, i) => {
    const v = headerOption(o, at(at(path, addField), i), issues);
    if (v) out.push(v);
  });
  const removed = (remove ?? []).map((n) => n.toLowerCase());
  removed.forEach((n, i) => {
    if (!n || protectedHeader(n)) issues.error(at(at(path, removeField), i), `header "${n}" cannot be removed`);
  });
  return { add: out, remove: removed };
}

const NO_HEADER_MUTATION: HeaderMutation = Object.freeze({ add: Object.freeze([]), remove: Object.freeze([]) });
/** Most routes and virtual hosts change no header: they share this one. */
const NO_HEADER_MUTATIONS = Object.freeze({ request: NO_HEADER_MUTATION, response: NO_HEADER_MUTATION });

/** Request and response header mutations of a route, virtual host, weighted cluster or route config. */
export function headerMutations(
  m: Pick<xds.Route, 'requestHeadersToAdd' | 'requestHeadersToRemove' | 'responseHeadersToAdd' | 'responseHeadersToRemove'>,
  path: string,
  issues: Issues,
): { request: HeaderMutation; response: HeaderMutation } {
  if (!m.requestHeadersToAdd?.length && !m.requestHeadersToRemove?.length && !m.responseHeadersToAdd?.length && !m.responseHeadersToRemove?.length) return NO_HEADER_MUTATIONS;
  return {
    request: headerMutation(m.requestHeadersToAdd, m.requestHeadersToRemove, path, issues, 'requestHeadersToAdd', 'requestHeadersToRemove'),
    response: headerMutation(m.responseHeadersToAdd, m.responseHeadersToRemove, path, issues, 'responseHeadersToAdd', 'responseHeadersToRemove'),
  };
}
