import { describe, expect, it } from 'vitest';
import { formatMessage } from '../message';
import { loadObjects, loadSources, mergeLoaded } from './load';

const vs = (name: string, host: string): string => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${name}}
spec:
  hosts: [${host}]
  http:
  - route:
    - destination: {host: ${host}}
`;

describe('loadSources', () => {
  it('keeps valid resources and reports each validation error as IST0106 with its path', () => {
    const bad = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: broken}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {subset: v1}
`;
    const loaded = loadSources([{ name: 'a.yaml', text: `${vs('ok', 'reviews')}---\n${bad}` }], 'default');
    expect(loaded.configs.map((c) => c.metadata.name)).toEqual(['ok']);
    expect(loaded.messages.map(formatMessage)).toEqual([
      'Error [IST0106] (VirtualService default/broken) Schema validation error: spec.http[0].route[0].destination.host: required',
    ]);
    expect(loaded.messages[0].path).toBe('spec.http[0].route[0].destination.host');
  });

  it('reports YAML syntax errors against the file', () => {
    const loaded = loadSources([{ name: 'bad.yaml', text: 'kind: [unclosed\n' }], 'default');
    expect(loaded.configs).toEqual([]);
    expect(loaded.messages).toHaveLength(1);
    expect(formatMessage(loaded.messages[0])).toMatch(/^Error \[IST0106\] \(File bad\.yaml\) Schema validation error: YAML syntax error/);
  });

  it('reports validation warnings as IST0133, leaving unreachable rules to their analyzer', () => {
    const text = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: delegate}
spec:
  http:
  - route:
    - destination: {host: reviews}
  - route:
    - destination: {host: reviews}
`;
    const lines = loadSources([{ name: 'd.yaml', text }], 'default').messages.map(formatMessage);
    expect(lines).toEqual([
      'Warning [IST0133] (VirtualService default/delegate) Schema validation warning: spec.hosts: no hosts: this VirtualService is only used as the delegate of another VirtualService',
    ]);
  });

  it('reads Kubernetes Services as registry services and skips other non-Istio kinds', () => {
    const text = `apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: reviews-v1}
spec: {}
`;
    const loaded = loadSources([{ name: 'k8s.yaml', text }], 'default');
    expect(loaded.services).toEqual([
      {
        hostname: 'reviews.shop.svc.cluster.local',
        namespace: 'shop',
        ports: [{ name: 'http', number: 9080, protocol: 'HTTP' }],
        resolution: 'STATIC',
        location: 'MESH_INTERNAL',
        selector: { app: 'reviews' },
        source: { kind: 'Kubernetes', namespace: 'shop', name: 'reviews' },
      },
    ]);
    expect(loaded.skipped).toEqual([{ kind: 'Deployment', namespace: 'default', name: 'reviews-v1' }]);
    expect(loaded.messages).toEqual([]);
  });

  it('names a document without metadata by its position', () => {
    const loaded = loadObjects([{ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', spec: {} }], 'default', 'live');
    expect(loaded.messages.map((m) => m.resource)).toEqual([{ kind: 'Gateway', namespace: 'default', name: 'live#0' }]);
  });
});

describe('mergeLoaded', () => {
  it('lets later loads replace resources of the same kind, namespace and name (files over the live mesh)', () => {
    const live = loadSources([{ name: 'live', text: `${vs('reviews', 'reviews')}---\n${vs('ratings', 'ratings')}` }], 'default');
    const files = loadSources([{ name: 'f.yaml', text: vs('reviews', 'reviews.default.svc.cluster.local') }], 'default');
    const merged = mergeLoaded(live, files);
    expect(merged.configs).toHaveLength(2);
    const reviews = merged.configs.find((c) => c.metadata.name === 'reviews');
    expect(reviews?.kind === 'VirtualService' && reviews.spec.hosts).toEqual(['reviews.default.svc.cluster.local']);
  });
});
