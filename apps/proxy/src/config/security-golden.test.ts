import fs from 'node:fs';
import path from 'node:path';
import { decodeAny, encodeAny } from '@mizzen/xds-codec';
import type * as xds from '@mizzen/xds-types';
import { TypeUrl } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import type { ConnectionInfo } from '../net/connection';
import { type RbacContext, runRbacFilter } from '../security';
import { translate } from '../testing/runtime-harness';
import * as b from '../testing/xds-builders';
import type { HttpSecurityFilter, ListenerConfig } from './model';
import { listenerResource } from './resources';

/**
 * Contract test: the security filters Pilot generates (its golden files, libs/pilot-core) go
 * through the protobuf wire and back, as ADS delivers them, and the proxy accepts and enforces
 * them. apps/proxy may not import @mizzen/pilot-core (scope:proxy), hence the goldens.
 */
const GOLDEN_DIR = path.resolve(__dirname, '../../../../libs/pilot-core/src/generators/__golden__');
type GoldenFilter = { name: string; typedConfig: xds.Any };
const golden = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(GOLDEN_DIR, file), 'utf8'));

/** An inbound-style listener with these filters, sent through encode/decode like an LDS response. */
function overTheWire(filters: GoldenFilter[]): ListenerConfig {
  const l = b.listener('inbound_9080', '127.0.0.1', 9080, { rds: 'r' });
  (l.filterChains![0].filters[0].typedConfig as xds.Any & xds.HttpConnectionManager).httpFilters = [...filters, b.router];
  const body = decodeAny(encodeAny(TypeUrl.Listener, l)).body as unknown as xds.Listener;
  return translate(listenerResource, [body]).get('inbound_9080')!;
}

function securityFilters(l: ListenerConfig): readonly HttpSecurityFilter[] {
  const f = l.filterChains[0].filter;
  if (f.kind !== 'http') throw new Error('not an HCM');
  return f.hcm.securityFilters ?? [];
}

const FILES: Array<[string, (d: unknown) => GoldenFilter[]]> = [
  ['security-authz-task.json', (d) => Object.values(d as Record<string, GoldenFilter[]>).flat()],
  ['security-all-fields.json', (d) => d as GoldenFilter[]],
  ['security-custom.json', (d) => d as GoldenFilter[]],
  ['security-jwt-one.json', (d) => [d as GoldenFilter]],
  ['security-jwt-many.json', (d) => [d as GoldenFilter]],
];

describe("Pilot's security filters are accepted after a protobuf round trip", () => {
  it.each(FILES)('%s', (file, filtersOf) => {
    const filters = filtersOf(golden(file));
    expect(filters.length).toBeGreaterThan(0);
    const got = securityFilters(overTheWire(filters));
    expect(got.map((f) => f.name)).toEqual(filters.map((f) => f.name));
  });
});

describe('allow-nothing survives the wire', () => {
  it('an ALLOW `rules` with no policies is still present after decoding, and denies', () => {
    const f = securityFilters(overTheWire([{ name: 'envoy.filters.http.rbac', typedConfig: { '@type': TypeUrl.RBAC, rules: { action: 'ALLOW', policies: {} } } as xds.Any }]))[0];
    expect(f).toMatchObject({ kind: 'rbac', config: { rules: { action: 'ALLOW', policies: [] } } });
    const ctx: RbacContext = { conn: { remoteAddress: '127.0.0.1', remotePort: 1, localAddress: '127.0.0.1', localPort: 9080 }, remoteIp: '127.0.0.1', metadata: {} };
    expect(f.kind === 'rbac' && runRbacFilter(f.config, ctx, { inc: () => undefined }, 'envoy.filters.http.rbac').allowed).toBe(false);
  });
});

describe("Istio's authorization task, enforced from Pilot's output", () => {
  const task = golden('security-authz-task.json') as Record<string, GoldenFilter[]>;
  const conn = (principal?: string): ConnectionInfo => ({
    remoteAddress: '127.1.0.9',
    remotePort: 50000,
    localAddress: '127.1.0.5',
    localPort: 9080,
    tls: principal ? { peerCertificatePresented: true, peerUriSans: [principal], peerDnsSans: [], localUriSans: [] } : undefined,
  });
  /** Every RBAC filter of the workload in order; true when the request passes them all. */
  const allowed = (workload: string, method: string, principal?: string): boolean => {
    const filters = securityFilters(overTheWire(task[workload]));
    const ctx: RbacContext = { conn: conn(principal), remoteIp: '127.1.0.9', request: { method, authority: 'x:9080', path: '/', scheme: 'http', headers: {} }, metadata: {} };
    return filters.every((f) => f.kind !== 'rbac' || runRbacFilter(f.config, ctx, { inc: () => undefined }, 'envoy.filters.http.rbac').allowed);
  };
  const PRODUCTPAGE = 'spiffe://cluster.local/ns/default/sa/bookinfo-productpage';
  const REVIEWS = 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews';

  it('productpage: GET from anyone, nothing else (allow-nothing + productpage-viewer)', () => {
    expect(allowed('productpage-v1', 'GET')).toBe(true);
    expect(allowed('productpage-v1', 'POST')).toBe(false);
  });

  it('details and reviews: GET from productpage only, over mTLS', () => {
    expect(allowed('details-v1', 'GET', PRODUCTPAGE)).toBe(true);
    expect(allowed('details-v1', 'GET', REVIEWS)).toBe(false);
    expect(allowed('details-v1', 'GET')).toBe(false);
    expect(allowed('reviews-v1', 'GET', PRODUCTPAGE)).toBe(true);
    expect(allowed('reviews-v1', 'DELETE', PRODUCTPAGE)).toBe(false);
  });

  it('ratings: GET from reviews only', () => {
    expect(allowed('ratings-v1', 'GET', REVIEWS)).toBe(true);
    expect(allowed('ratings-v1', 'GET', PRODUCTPAGE)).toBe(false);
  });
});

describe('security filter translation errors name the field', () => {
  const errorsFor = (filter: GoldenFilter): string => {
    const l = b.listener('l', '127.0.0.1', 8080, { rds: 'r' });
    (l.filterChains![0].filters[0].typedConfig as xds.Any & xds.HttpConnectionManager).httpFilters = [filter, b.router];
    try {
      translate(listenerResource, [l]);
      return '';
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  };
  const rbac = (body: object): GoldenFilter => ({ name: 'envoy.filters.http.rbac', typedConfig: { '@type': TypeUrl.RBAC, ...body } as xds.Any });
  const p = 'filterChains[0].filters[0].typedConfig.httpFilters[0].typedConfig';

  it.each<[string, GoldenFilter, string]>([
    ['CEL conditions', rbac({ rules: { policies: { a: { permissions: [{ any: true }], principals: [{ any: true }], condition: {} } } } }), `${p}.rules.policies.a.condition: not supported`],
    ['the matcher API', rbac({ matcher: {} }), `${p}.matcher: not supported`],
    ['uri_template permissions', rbac({ rules: { policies: { a: { permissions: [{ uriTemplate: {} }], principals: [{ any: true }] } } } }), `${p}.rules.policies.a.permissions[0].uriTemplate: not supported`],
    ['filter_state principals', rbac({ rules: { policies: { a: { permissions: [{ any: true }], principals: [{ filterState: {} }] } } } }), `${p}.rules.policies.a.principals[0].filterState: not supported`],
    ['empty permissions', rbac({ rules: { policies: { a: { principals: [{ any: true }] } } } }), `${p}.rules.policies.a.permissions: at least one rule is required`],
    ['a bad CIDR', rbac({ rules: { policies: { a: { permissions: [{ any: true }], principals: [{ remoteIp: { addressPrefix: '10.0.0.0', prefixLen: { value: 33 } } }] } } } }), `${p}.rules.policies.a.principals[0].remoteIp.prefixLen: must be in [0, 32]`],
    ['a bad regex', rbac({ rules: { policies: { a: { permissions: [{ urlPath: { path: { safeRegex: { regex: '(?=x)' } } } }], principals: [{ any: true }] } } } }), `${p}.rules.policies.a.permissions[0].urlPath.path.safeRegex.regex`],
    ['ext_authz with a request body', { name: 'envoy.filters.http.ext_authz', typedConfig: { '@type': TypeUrl.ExtAuthz, withRequestBody: {}, grpcService: { envoyGrpc: { clusterName: 'c' } } } as xds.Any }, `${p}.withRequestBody: not supported`],
    ['ext_authz google_grpc', { name: 'envoy.filters.http.ext_authz', typedConfig: { '@type': TypeUrl.ExtAuthz, grpcService: { googleGrpc: {} } } as xds.Any }, `${p}.grpcService.googleGrpc: not supported`],
  ])('%s', (_name, filter, want) => expect(errorsFor(filter)).toContain(want));

  it('a security filter after the fault filter is rejected (it would run out of order)', () => {
    const l = b.listener('l', '127.0.0.1', 8080, { rds: 'r' });
    (l.filterChains![0].filters[0].typedConfig as xds.Any & xds.HttpConnectionManager).httpFilters = [{ name: 'envoy.filters.http.fault', typedConfig: { '@type': TypeUrl.HTTPFault } }, rbac({}), b.router];
    expect(() => translate(listenerResource, [l])).toThrow('httpFilters[1]: "envoy.filters.http.rbac" must come before the fault and CORS filters');
  });
});
