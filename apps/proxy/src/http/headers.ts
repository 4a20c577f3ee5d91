import type { HeaderMutation, HeaderValueOption } from '../config/model';

/** A mutable header map with lower-cased names; repeated headers are arrays. */
export type HeaderMap = Record<string, string | string[]>;

/**
 * Hop-by-hop headers Envoy never forwards, plus any header named in `Connection`. `te` survives
 * only as `trailers`. `expect` is answered by the proxy (node replies 100-continue itself).
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_conn_man/headers
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'expect', 'http2-settings']);

/** Copies headers without hop-by-hop ones and HTTP/2 pseudo-headers; `undefined` values are dropped. */
export function forwardableHeaders(input: Readonly<Record<string, string | string[] | number | undefined>>): HeaderMap {
  // Per request on every hop: a for-in loop, and a Set only when `Connection` names headers.
  const conn = input.connection;
  const named = typeof conn === 'string' && conn.includes(',') ? new Set(conn.split(',').map((n) => n.trim().toLowerCase())) : undefined;
  const single = typeof conn === 'string' && !named ? conn.trim().toLowerCase() : undefined;
  const out: HeaderMap = {};
  for (const k in input) {
    const v = input[k];
    if (v === undefined || HOP_BY_HOP.has(k) || k === single || named?.has(k) || k.charCodeAt(0) === 58 /* ':' */) continue;
    out[k] = typeof v === 'number' ? String(v) : v;
  }
  const te = input.te;
  if (typeof te === 'string' && te.toLowerCase().includes('trailers')) out.te = 'trailers';
  return out;
}

/** The first value of a header, if present. */
export function first(h: HeaderMap, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Values of a header substituted per request (`%DOWNSTREAM_REMOTE_ADDRESS%` and friends). */
export type HeaderFormatter = (value: string) => string;

function applyOption(h: HeaderMap, o: HeaderValueOption, value: string): void {
  const key = o.key.toLowerCase();
  const existing = h[key];
  switch (o.action) {
    case 'append':
      if (existing === undefined) h[key] = value;
      else h[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
      return;
    case 'add-if-absent':
      if (existing === undefined) h[key] = value;
      return;
    case 'overwrite-or-add':
      h[key] = value;
      return;
    case 'overwrite-if-exists':
      if (existing !== undefined) h[key] = value;
      return;
  }
}

/**
 * Applies one level's mutation: removals first, then additions (Envoy's header parser order).
 * An added header whose formatted value is empty is skipped, as Envoy does.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_conn_man/headers#custom-request-response-headers
 */
export function applyMutation(h: HeaderMap, m: HeaderMutation, format: HeaderFormatter): void {
  for (const name of m.remove) delete h[name];
  for (const o of m.add) {
    const value = o.value.includes('%') ? format(o.value) : o.value;
    if (value !== '') applyOption(h, o, value);
  }
}

/** Applies mutations most specific first, so route-config level additions land last (Envoy's default order). */
export function applyMutations(h: HeaderMap, levels: readonly HeaderMutation[], format: HeaderFormatter): void {
  for (const m of levels) applyMutation(h, m, format);
}
