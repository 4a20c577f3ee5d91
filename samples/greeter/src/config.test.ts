// Consistency of networking/: the ServiceEntry selects both WorkloadEntries, every subset selects
// a workload, and every VirtualService routes 100% to declared subsets of the same host.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: Record<string, unknown>;
}

const dir = path.resolve(__dirname, '..', 'networking');
const all: { file: string; doc: Doc }[] = fs.readdirSync(dir).flatMap((file) =>
  parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8')).map((d) => {
    expect(d.errors, file).toEqual([]);
    return { file, doc: d.toJS() as Doc };
  }),
);
const ofKind = (kind: string) => all.filter((e) => e.doc.kind === kind).map((e) => e.doc);
const HOST = 'greeter.default.svc.cluster.local';
const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('greeter networking YAML', () => {
  const [serviceEntry] = ofKind('ServiceEntry');
  const workloads = ofKind('WorkloadEntry');
  const [destinationRule] = ofKind('DestinationRule');

  it('declares a STATIC mesh-internal gRPC ServiceEntry selecting both workload entries', () => {
    expect(all.every((e) => e.doc.apiVersion === 'networking.istio.io/v1' && e.doc.metadata.namespace === 'default')).toBe(true);
    expect(serviceEntry.spec).toMatchObject({
      hosts: [HOST],
      location: 'MESH_INTERNAL',
      resolution: 'STATIC',
      ports: [{ number: 50051, name: 'grpc', protocol: 'GRPC' }],
    });
    const selector = (serviceEntry.spec.workloadSelector as { labels: Record<string, string> }).labels;
    expect(workloads.map((w) => w.metadata.name)).toEqual(['greeter-v1', 'greeter-v2']);
    for (const w of workloads) {
      expect(w.spec.address).toMatch(/^127\.0\.0\.\d+$/);
      expect(matches(selector, w.spec.labels as Record<string, string>)).toBe(true);
    }
  });

  it('routes every VirtualService 100% to subsets that select a workload', () => {
    expect(destinationRule.spec.host).toBe(HOST);
    const subsets = new Map((destinationRule.spec.subsets as { name: string; labels: Record<string, string> }[]).map((s) => [s.name, s.labels]));
    for (const [, labels] of subsets) {
      expect(workloads.filter((w) => matches(labels, w.spec.labels as Record<string, string>))).toHaveLength(1);
    }
    const virtualServices = ofKind('VirtualService');
    expect(virtualServices.length).toBeGreaterThan(0);
    for (const vs of virtualServices) {
      expect(vs.spec.hosts).toEqual([HOST]);
      for (const route of vs.spec.http as { route: { destination: { host: string; subset: string }; weight: number }[] }[]) {
        expect(route.route.reduce((sum, r) => sum + r.weight, 0)).toBe(100);
        for (const r of route.route) {
          expect(r.destination.host).toBe(HOST);
          expect(subsets.has(r.destination.subset)).toBe(true);
        }
      }
    }
  });
});
