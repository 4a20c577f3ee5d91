import { describe, expect, it } from 'vitest';
import { parseWorkloadsFile, planWorkloads } from './mesh-plan';

const file = (extra = '') => `
namespace: shop
workloads:
  - name: web-v1
    service: web
    ports: [{name: http, port: 8000}]
    entry: dist/web.js${extra}
`;

describe('workloads.yaml', () => {
  it('plans one loopback address per workload, app port + 10000, and the optional locality', () => {
    const [w] = planWorkloads(parseWorkloadsFile(file('\n    locality: us-east/zone-1'), 'w.yaml'), '127.9.0');
    expect(w).toMatchObject({ name: 'web-v1', namespace: 'shop', serviceAccount: 'default', ip: '127.9.0.1', ports: [{ name: 'http', port: 8000, appPort: 18000 }], locality: 'us-east/zone-1' });
    expect(planWorkloads(parseWorkloadsFile(file(), 'w.yaml'))[0].locality).toBeUndefined();
    const probed = planWorkloads(parseWorkloadsFile(file('\n    readinessProbe: {httpGet: {path: /health, port: 8000}}'), 'w.yaml'))[0];
    expect(probed.readinessProbe).toEqual({ httpGet: { path: '/health', port: 8000 } });
  });

  it('names the file, the field and the reason for bad input', () => {
    expect(() => parseWorkloadsFile(file('\n    locality: a/b/c/d'), 'w.yaml')).toThrow('w.yaml: workloads[0].locality: region/zone/subzone');
    expect(() => parseWorkloadsFile(file('\n    bogus: 1'), 'w.yaml')).toThrow(/w\.yaml: workloads\[0\]/);
  });
});
