/**
 * HTTP header checks from Istio's validation (`ValidateHTTPHeaderNameOrJwtClaimRoute`,
 * `ValidateHTTPHeaderOperationName`, `ValidateHTTPHeaderValue`). Token characters per RFC 7230:
 * https://www.rfc-editor.org/rfc/rfc7230#section-3.2.6
 */
const TOKEN = /^[!#$%&'*+\-.^_`|~A-Za-z0-9]+$/;
const PSEUDO_HEADERS = new Set([':method', ':scheme', ':authority', ':path', ':status']);
const CONTROL_CHARS = /[\u0000-\u0008\u000A-\u001F\u007F]/;

/** `@request.auth.claims.<name>` or `@request.auth.claims[<a>][<b>]`: routing on JWT claims (gateways only). */
export function isJwtClaimRoute(name: string): boolean {
  const prefix = '@request.auth.claims';
  if (!name.startsWith(prefix)) return false;
  const rest = name.slice(prefix.length);
  return /^\.[^.[\]]+(?:\.[^.[\]]+)*$/.test(rest) || /^(?:\[[^[\]]+\])+$/.test(rest);
}

/** Header names in match conditions: RFC 7230 tokens, HTTP/2 pseudo-headers, or JWT claim routes. */
export function checkMatchHeaderName(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (isJwtClaimRoute(name) || PSEUDO_HEADERS.has(name)) return undefined;
  return TOKEN.test(name) ? undefined : `header name ${JSON.stringify(name)} is not a valid header name`;
}

/** CORS allow/expose header names: tokens or `*`. */
export function checkCorsHeaderName(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (name === '*' || TOKEN.test(name)) return undefined;
  return `header name ${JSON.stringify(name)} is not a valid header name`;
}

const isInternalHeader = (h: string): boolean => h.startsWith(':') || h.toLowerCase() === 'host';
export const isAuthorityHeader = (h: string): boolean => h.toLowerCase() === ':authority' || h.toLowerCase() === 'host';

/** Names in `headers.request.set/add`: may not be pseudo-headers, except the authority (`:authority`/`host`). */
export function checkRequestSetHeaderName(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (isInternalHeader(name) && !isAuthorityHeader(name)) return `invalid header ${JSON.stringify(name)}: header cannot have ":" prefix`;
  return undefined;
}

/** Names in `headers.request.remove` and all `headers.response` operations. */
export function checkHeaderOperationName(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (name.toLowerCase() === 'host') return `invalid header ${JSON.stringify(name)}: cannot set Host header`;
  if (isInternalHeader(name)) return `invalid header ${JSON.stringify(name)}: header cannot have ":" prefix`;
  return undefined;
}

/**
 * Header values Envoy accepts: no control characters, and every unescaped `%` opens a
 * `%VARIABLE%` or `%VARIABLE(args)%` expression that is closed (`%%` is a literal percent).
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_conn_man/headers#custom-request-response-headers
 */
export function checkHeaderValue(value: string): string | undefined {
  if (CONTROL_CHARS.test(value)) return `header value ${JSON.stringify(value)} contains control characters`;
  return checkHeaderVariables(value);
}

function checkHeaderVariables(value: string): string | undefined {
  let i = 0;
  while (i < value.length) {
    if (value[i] !== '%') {
      i++;
      continue;
    }
    if (value[i + 1] === '%') {
      i += 2;
      continue;
    }
    const end = variableEnd(value, i + 1);
    if (end < 0) return `invalid header value ${JSON.stringify(value)}: un-terminated variable expression (escape a literal % as %%)`;
    i = end + 1;
  }
  return undefined;
}

/** Index of the `%` closing a variable that starts at `from`, or -1. Arguments in `(...)` may contain `%` inside JSON strings. */
function variableEnd(value: string, from: number): number {
  let inString = false;
  let depth = 0;
  for (let i = from; i < value.length; i++) {
    const ch = value[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"' && depth > 0) inString = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (ch === '%' && depth === 0) return i;
  }
  return -1;
}
