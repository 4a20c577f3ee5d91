import type { HashPolicy } from '../config/model';
import { xxHash64 } from '../util/xxhash64';
import { type RequestView, splitPath } from './request-view';

/** The downstream peer, as hash policies see it. */
export interface HashSource {
  /** Downstream remote IP (connection_properties.source_ip). */
  ip: string;
  /** Downstream remote `ip:port`, the seed of a generated cookie. */
  address: string;
}

export interface RequestHash {
  /** Undefined when no policy produced a hash (the balancer then picks at random). */
  hash?: bigint;
  /** A Set-Cookie value for the response, when a cookie policy generated its cookie. */
  setCookie?: string;
}

const MASK = (1n << 64n) - 1n;

/** Envoy's combination of successive policy hashes: rotate left by one, then xor. */
const combine = (acc: bigint, h: bigint): bigint => (((acc << 1n) | (acc >> 63n)) & MASK) ^ h;

/** Values of a header as sent (repeated headers stay separate). */
function headerValues(view: RequestView, name: string): string[] {
  if (name === ':authority' || name === 'host') return view.authority ? [view.authority] : [];
  if (name === ':path') return [view.path];
  if (name === ':method') return [view.method];
  const v = view.headers[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** A cookie's value from the Cookie header(s), surrounding quotes removed (Envoy's parseCookieValue). */
export function cookieValue(view: RequestView, name: string): string | undefined {
  for (const header of headerValues(view, 'cookie')) {
    for (const part of header.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
      const v = part.slice(eq + 1).trim();
      return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
    }
  }
  return undefined;
}

/** Envoy's Set-Cookie for a generated hash cookie: `name="value"; Max-Age=..; Path=..; HttpOnly`. */
function setCookieValue(name: string, value: string, ttlMs: number, path: string | undefined): string {
  let c = `${name}="${value}"`;
  const seconds = Math.floor(ttlMs / 1000);
  if (seconds > 0) c += `; Max-Age=${seconds}`;
  if (path) c += `; Path=${path}`;
  return `${c}; HttpOnly`;
}

function policyHash(p: HashPolicy, view: RequestView, src: HashSource, out: RequestHash): bigint | undefined {
  switch (p.kind) {
    case 'header': {
      let values = headerValues(view, p.name);
      if (p.rewrite) {
        const { regex, substitution } = p.rewrite;
        values = values.map((v) => v.replace(regex, substitution));
      }
      if (!values.length) return undefined;
      // Several values hash in sorted order, so their order does not matter.
      return [...values].sort().reduce<bigint>((seed, v) => xxHash64(v, seed), 0n);
    }
    case 'cookie': {
      const v = cookieValue(view, p.name);
      if (v !== undefined) return xxHash64(v);
      if (p.ttlMs === undefined) return undefined;
      const generated = xxHash64(src.address).toString(16).padStart(16, '0');
      out.setCookie = setCookieValue(p.name, generated, p.ttlMs, p.path);
      return xxHash64(generated);
    }
    case 'source-ip':
      return src.ip ? xxHash64(src.ip) : undefined;
    case 'query': {
      const v = new URLSearchParams(splitPath(view.path).query).get(p.name);
      return v === null ? undefined : xxHash64(v);
    }
  }
}

/**
 * The request's hash for RING_HASH / MAGLEV from a route's hash policies, as Envoy's
 * HashPolicyImpl computes it: xxHash64 of the header values, cookie, source IP or query
 * parameter; policies combine in order and a terminal one that produced a hash stops the walk.
 * A cookie policy with a ttl generates the cookie when it is absent (returned as `setCookie`).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-routeaction-hashpolicy
 */
export function requestHash(policies: readonly HashPolicy[], view: RequestView, src: HashSource): RequestHash {
  const out: RequestHash = {};
  for (const p of policies) {
    const h = policyHash(p, view, src, out);
    if (h === undefined) continue;
    out.hash = out.hash === undefined ? h : combine(out.hash, h);
    if (p.terminal) break;
  }
  return out;
}
