import type { HTTPMatchRequest, StringMatch } from '@mizzen/config-api';

/**
 * Whether an earlier HTTP match takes every request a later one would match, which makes the
 * later match ineffective. This is Istio's prefix-overlap check from `analyzeUnreachableHTTPRules`
 * (istio/istio pkg/config/validation, PR 32701) in its intended meaning: the earlier match must
 * have a URI prefix that is a prefix of the later URI (prefix or exact), and every other condition
 * of the earlier match (port, method, authority, headers, query parameters) must hold for every
 * request the later match takes. Conditions Istio's heuristic ignores (scheme, withoutHeaders,
 * sourceLabels, gateways, sourceNamespace, ignoreUriCase) must be identical, so that matches that
 * differ in them are never reported.
 */
export function matchCovers(earlier: HTTPMatchRequest, later: HTTPMatchRequest): boolean {
  const prefix = earlier.uri?.prefix;
  const laterUri = later.uri?.prefix ?? later.uri?.exact;
  if (!prefix || laterUri === undefined || !laterUri.startsWith(prefix)) return false;
  if (earlier.port !== undefined && earlier.port !== later.port) return false;
  return (
    stringCovers(earlier.method, later.method) &&
    stringCovers(earlier.authority, later.authority) &&
    mapCovers(earlier.headers, later.headers) &&
    mapCovers(earlier.queryParams, later.queryParams) &&
    canonical(strictPart(earlier)) === canonical(strictPart(later))
  );
}

/** An unset condition takes everything; a prefix takes any longer prefix or exact value; otherwise only the same condition. */
function stringCovers(earlier: StringMatch | undefined, later: StringMatch | undefined): boolean {
  if (earlier === undefined) return true;
  if (later === undefined) return false;
  if (canonical(earlier) === canonical(later)) return true;
  const laterValue = later.prefix ?? later.exact;
  return earlier.prefix !== undefined && laterValue !== undefined && laterValue.startsWith(earlier.prefix);
}

function mapCovers(earlier: Record<string, StringMatch> | undefined, later: Record<string, StringMatch> | undefined): boolean {
  return Object.entries(earlier ?? {}).every(([k, m]) => later?.[k] !== undefined && stringCovers(m, later[k]));
}

function strictPart(m: HTTPMatchRequest): object {
  const { scheme, withoutHeaders, sourceLabels, gateways, sourceNamespace, ignoreUriCase } = m;
  return { scheme, withoutHeaders, sourceLabels, gateways, sourceNamespace, ignoreUriCase: ignoreUriCase ?? false };
}

/** JSON with sorted keys and without undefined fields: equal conditions compare equal whatever their field order. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
