import { matchesSelector, type Labels, type Workload } from '@mizzen/mesh-model';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MESH_CONFIG } from '../mesh-config';
import { BOOKINFO_SERVICES, BOOKINFO_WORKLOADS } from '../testing/bookinfo-fixture';
import { MeshSnapshot } from './mesh-snapshot';
import { WorkloadIndex } from './workload-index';

const wl = (name: string, namespace: string, labels: Labels): Workload => ({ name, namespace, address: `10.0.0.${name.length}`, labels, serviceAccount: 'sa', source: { kind: 'Kubernetes', namespace, name } });

const WORKLOADS = [
  wl('a1', 'a', { app: 'x', version: 'v1' }),
  wl('a2', 'a', { app: 'x', version: 'v2' }),
  wl('a3', 'a', { app: 'y', version: 'v1' }),
  wl('b1', 'b', { app: 'x', version: 'v1' }),
];

describe('WorkloadIndex', () => {
  const index = new WorkloadIndex(WORKLOADS);
  const naive = (ns: string, sel: Labels) => WORKLOADS.filter((w) => w.namespace === ns && matchesSelector(w.labels, sel)).map((w) => w.name);

  it('selects exactly what a scan of the namespace selects', () => {
    for (const ns of ['a', 'b', 'c']) {
      const selectors: Labels[] = [{}, { app: 'x' }, { version: 'v1' }, { app: 'x', version: 'v1' }, { app: 'x', version: 'v3' }, { team: 'z' }];
      for (const sel of selectors) {
        expect(index.select(ns, sel).map((w) => w.name), `${ns} ${JSON.stringify(sel)}`).toEqual(naive(ns, sel));
      }
    }
  });

  it('finds workloads by namespace and name', () => {
    expect(index.workload('a', 'a2')?.labels).toEqual({ app: 'x', version: 'v2' });
    expect(index.workload('b', 'a2')).toBeUndefined();
  });
});

describe('MeshSnapshot endpoint lookups', () => {
  const snap = MeshSnapshot.build({ configs: [], services: BOOKINFO_SERVICES, workloads: BOOKINFO_WORKLOADS, mesh: DEFAULT_MESH_CONFIG }, 1);

  it('names the services whose endpoints a workload is', () => {
    const reviewsV2 = snap.workload('default', 'reviews-v2');
    expect(reviewsV2 && snap.servicesSelecting(reviewsV2)).toEqual(['reviews.default.svc.cluster.local']);
    expect(snap.servicesSelecting(wl('stray', 'default', { app: 'nothing' }))).toEqual([]);
  });

  it('resolves a service port to its selected workloads, subset labels applied', () => {
    const reviews = snap.service('reviews.default.svc.cluster.local');
    if (!reviews) throw new Error('fixture');
    expect(snap.endpoints(reviews, reviews.ports[0]).map((e) => e.address)).toEqual(['127.1.0.3', '127.1.0.5', '127.1.0.4']);
    expect(snap.endpoints(reviews, reviews.ports[0], { version: 'v2' }).map((e) => e.address)).toEqual(['127.1.0.4']);
  });
});
