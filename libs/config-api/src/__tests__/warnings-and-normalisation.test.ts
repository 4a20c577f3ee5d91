import { describe, expect, it } from 'vitest';
import { parseDocuments, validateResource, type AnyConfig } from '../index';

function accept(yaml: string, defaultNamespace = 'default'): { value: AnyConfig; warnings: { path: string; message: string }[] } {
  const docs = parseDocuments(yaml);
  if (!docs.ok) throw new Error(JSON.stringify(docs.errors));
  const r = validateResource(docs.value[0], { defaultNamespace });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r;
}

describe('warnings do not reject', () => {
  it('deprecated mirrorPercent (also spelled mirror_percent, as Istio CRDs allow)', () => {
    for (const key of ['mirrorPercent', 'mirror_percent']) {
      const r = accept(`
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: m}
spec:
  hosts: [reviews]
  http:
  - route: [{destination: {host: reviews, subset: v1}}]
    mirror: {host: reviews, subset: v2}
    ${key}: 10
`);
      if (r.value.kind !== 'VirtualService') throw new Error('kind');
      expect(r.value.spec.http?.[0].mirrorPercent).toBe(10);
      expect(r.warnings).toContainEqual({ path: 'spec.http[0].mirrorPercent', message: expect.stringMatching(/deprecated/) });
    }
  });

  it('unreachable rules after a catch-all, and duplicate matches', () => {
    const r = accept(`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: u}
spec:
  hosts: [reviews]
  http:
  - match: [{uri: {prefix: /a}}]
    route: [{destination: {host: reviews}}]
  - match: [{name: again, uri: {prefix: /a}}]
    route: [{destination: {host: reviews}}]
  - route: [{destination: {host: reviews}}]
  - route: [{destination: {host: reviews}}]
`);
    expect(r.warnings.map((w) => w.path)).toEqual(['spec.http[1].match[0]', 'spec.http[1]', 'spec.http[3]']);
  });

  it('legacy gateway name format', () => {
    const r = accept(`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: g}
spec:
  hosts: [bookinfo.com]
  gateways: [my-gateway.istio-system]
  http: [{route: [{destination: {host: productpage}}]}]
`);
    expect(r.warnings).toEqual([{ path: 'spec.gateways[0]', message: expect.stringMatching(/prefer <namespace>\/<name>: "istio-system\/my-gateway"/) }]);
  });

  it('partial wildcard ServiceEntry host', () => {
    const r = accept(`
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: p}
spec:
  hosts: ["*foo.example.com"]
  ports: [{number: 443, name: tls, protocol: TLS}]
  resolution: NONE
`);
    expect(r.warnings).toEqual([{ path: 'spec.hosts[0]', message: 'partial wildcard "*foo.example.com" not allowed' }]);
  });
});

describe('normalisation', () => {
  it('defaults the namespace, drops server-populated metadata and status, and reads null as unset', () => {
    const r = accept(
      `
apiVersion: networking.istio.io/v1alpha3
kind: DestinationRule
metadata:
  name: reviews
  uid: 0f3c
  resourceVersion: "42"
  generation: 3
  creationTimestamp: "2024-01-01T00:00:00Z"
  managedFields: [{manager: kubectl}]
  labels: {app.kubernetes.io/name: reviews}
spec:
  host: reviews
  trafficPolicy:
  subsets:
  - name: v1
    labels: {version: v1}
status:
  observedGeneration: 3
`,
      'bookinfo',
    );
    expect(r.value.metadata).toEqual({
      name: 'reviews',
      namespace: 'bookinfo',
      labels: { 'app.kubernetes.io/name': 'reviews' },
      generation: 3,
      creationTimestamp: '2024-01-01T00:00:00Z',
      resourceVersion: '42',
    });
    expect(r.value.spec).toEqual({ host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
  });

  it('accepts an empty header match (presence) and regex header matches with RE2 flags', () => {
    const r = accept(`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: h}
spec:
  hosts: [reviews]
  http:
  - match:
    - headers:
        x-canary: {}
        user-agent: {regex: "(?i).*(android|iphone).*"}
      withoutHeaders:
        x-debug: {regex: "*"}
    route: [{destination: {host: reviews}}]
`);
    expect(r.warnings).toEqual([]);
  });
});
