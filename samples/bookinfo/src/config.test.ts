// Consistency of the YAML shipped with the sample: workloads point at real entry files, every
// route destination names a declared subset, and mesh.yaml is the gateway, the subsets and STRICT mTLS.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

const root = path.resolve(__dirname, '..');

interface IstioDoc {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown>;
}

function docs(file: string): IstioDoc[] {
  return parseAllDocuments(fs.readFileSync(path.join(root, file), 'utf8'))
    .map((d) => {
      expect(d.errors, file).toEqual([]);
      return d.toJS() as IstioDoc | null;
    })
    .filter((d): d is IstioDoc => d !== null);
}

const networkingFiles = fs.readdirSync(path.join(root, 'networking')).map((f) => `networking/${f}`);

describe('workloads.yaml', () => {
  const file = parse(fs.readFileSync(path.join(root, 'workloads.yaml'), 'utf8')) as {
    namespace: string;
    workloads: { name: string; service: string; labels: Record<string, string>; entry: string; env: Record<string, string> }[];
  };

  it('lists every Bookinfo workload with an existing entry file', () => {
    expect(file.namespace).toBe('default');
    expect(file.workloads.map((w) => w.name)).toEqual(['productpage-v1', 'details-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3', 'ratings-v1']);
    for (const w of file.workloads) {
      expect(w.labels.app).toBe(w.service);
      expect(w.name).toBe(`${w.service}-${w.labels.version}`);
      const source = w.entry.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts');
      expect(fs.existsSync(path.join(root, source)), source).toBe(true);
      if (w.service === 'reviews') expect(w.env.SERVICE_VERSION).toBe(w.labels.version);
    }
  });
});

describe('networking YAML', () => {
  const subsets = new Map(
    docs('networking/destination-rule-all.yaml').map((d) => [
      String(d.spec.host),
      new Set((d.spec.subsets as { name: string }[]).map((s) => s.name)),
    ]),
  );

  it('uses networking.istio.io/v1 and only declared subsets', () => {
    for (const file of networkingFiles) {
      for (const doc of docs(file)) {
        expect(doc.apiVersion, file).toBe('networking.istio.io/v1');
        if (doc.kind !== 'VirtualService') continue;
        for (const http of doc.spec.http as { route: { destination: { host: string; subset?: string } }[] }[]) {
          for (const { destination } of http.route) {
            if (destination.subset) expect(subsets.get(destination.host)?.has(destination.subset), `${file}: ${destination.host}/${destination.subset}`).toBe(true);
          }
        }
      }
    }
  });

  it('mesh.yaml is the gateway, all destination rules and mesh-wide STRICT mTLS', () => {
    expect(docs('mesh.yaml')).toEqual([...docs('networking/bookinfo-gateway.yaml'), ...docs('networking/destination-rule-all.yaml'), ...docs('security/peer-authentication-strict.yaml')]);
  });
});
