import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { HttpConnectionManagerConfig } from '../config/model';
import { type HeaderMap, first, forwardableHeaders } from './headers';

/**
 * Headers the connection manager sets on every request before routing: `x-forwarded-proto`
 * (kept if present unless the proxy is the edge), `x-forwarded-for` (appended only with
 * use_remote_address) and `x-request-id` (generated when absent).
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_conn_man/headers
 */
export function connectionManagerHeaders(headers: IncomingHttpHeaders, remoteAddress: string, hcm: HttpConnectionManagerConfig, scheme: string): HeaderMap {
  const h = forwardableHeaders(headers);
  delete h.host;
  if (hcm.useRemoteAddress || h['x-forwarded-proto'] === undefined) h['x-forwarded-proto'] = scheme;
  if (hcm.useRemoteAddress) {
    const xff = first(h, 'x-forwarded-for');
    h['x-forwarded-for'] = xff ? `${xff}, ${remoteAddress}` : remoteAddress;
  }
  if (hcm.generateRequestId && !first(h, 'x-request-id')) h['x-request-id'] = randomUUID();
  return h;
}

/**
 * The request's authority and path: HTTP/2 `:authority` (else `host`), or an HTTP/1.1
 * absolute-form target (`GET http://reviews:9080/x`), else the Host header.
 */
export function requestTarget(url: string | undefined, headers: IncomingHttpHeaders): { authority: string; path: string; absolute: boolean } {
  const target = url ?? '/';
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)(.*)$/i.exec(target);
  if (m) return { authority: m[1], path: m[2] === '' ? '/' : m[2].startsWith('/') ? m[2] : `/${m[2]}`, absolute: true };
  const h2 = headers[':authority'];
  return { authority: (typeof h2 === 'string' && h2) || headers.host || '', path: target, absolute: false };
}

/** Splits `host:port` (IPv6 in brackets); the port defaults to the scheme's. */
export function splitAuthority(authority: string, defaultPort: number): { host: string; port: number } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(authority) ?? /^([^:]+)(?::(\d+))?$/.exec(authority);
  if (!m) return { host: authority, port: defaultPort };
  return { host: m[1], port: m[2] ? Number(m[2]) : defaultPort };
}
