import type { ConnectRequest } from '@mizzen/contracts';
import type { Service, Workload } from '@mizzen/mesh-model';
import { describe, expect, it } from 'vitest';
import { orphanedServices, registeredService, registeredWorkload } from './registration-records';

const req = (over: Partial<ConnectRequest> = {}, labels: Record<string, string> = { app: 'reviews' }): ConnectRequest => ({
  pilotId: 'p1',
  proxyId: 'sidecar~10.0.0.5~reviews-1.default~default.svc.cluster.local',
  workload: {
    name: 'reviews-1',
    namespace: 'default',
    address: '10.0.0.5',
    labels,
    serviceAccount: '',
    source: { kind: 'Kubernetes', namespace: 'x', name: 'y' },
  },
  service: { name: 'reviews', ports: [{ name: 'http', number: 9080, protocol: 'HTTP' }] },
  ...over,
});

describe('registration records', () => {
  it('owns the workload it registers', () => {
    expect(registeredWorkload(req())).toMatchObject({ serviceAccount: 'default', source: { kind: 'Registration', namespace: 'default', name: 'reviews-1' } });
  });

  it('declares the service selecting the app label, else the service name', () => {
    expect(registeredService(undefined, req())).toEqual({
      hostname: 'reviews.default.svc.cluster.local',
      namespace: 'default',
      ports: [{ name: 'http', number: 9080, protocol: 'HTTP' }],
      resolution: 'STATIC',
      location: 'MESH_INTERNAL',
      selector: { app: 'reviews' },
      source: { kind: 'Registration', namespace: 'default', name: 'reviews' },
    });
    expect(registeredService(undefined, req({}, { version: 'v1' }))?.selector).toEqual({ app: 'reviews' });
    expect(registeredService(undefined, req({}, { app: 'reviews-app' }))?.selector).toEqual({ app: 'reviews-app' });
    expect(registeredService(undefined, req({ service: undefined }))).toBeUndefined();
  });

  it('merges ports across registrations by number', () => {
    const first = registeredService(undefined, req()) as Service;
    const second = registeredService(first, req({ service: { name: 'reviews', ports: [{ name: 'grpc', number: 9090, protocol: 'GRPC' }, { name: 'other', number: 9080, protocol: 'TCP' }] } }));
    expect(second?.ports).toEqual([
      { name: 'http', number: 9080, protocol: 'HTTP' },
      { name: 'grpc', number: 9090, protocol: 'GRPC' },
    ]);
  });

  it('finds registered services no registered workload backs', () => {
    const s = registeredService(undefined, req()) as Service;
    const fromConfig: Service = { ...s, hostname: 'cfg.default.svc.cluster.local', source: { kind: 'ServiceEntry', namespace: 'default', name: 'cfg' } };
    const w = registeredWorkload(req());
    const vm: Workload = { ...w, name: 'vm', source: { kind: 'WorkloadEntry', namespace: 'default', name: 'vm' } };
    expect(orphanedServices([s, fromConfig], [w], 'default')).toEqual([]);
    expect(orphanedServices([s, fromConfig], [vm], 'default')).toEqual([s]);
    expect(orphanedServices([s], [], 'other')).toEqual([]);
  });
});
