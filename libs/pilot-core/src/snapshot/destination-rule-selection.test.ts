import { describe, expect, it } from 'vitest';
import { DEFAULT_MESH_CONFIG } from '../mesh-config';
import { BOOKINFO_SERVICES, BOOKINFO_WORKLOADS, configsFromYaml } from '../testing/bookinfo-fixture';
import { MeshSnapshot, type RuleClient } from './mesh-snapshot';

const dr = (name: string, namespace: string, host: string, selector?: string) => `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  host: "${host}"
${selector ? `  workloadSelector: {matchLabels: {app: ${selector}}}\n` : ''}`;

const snapshotOf = (...docs: string[]) =>
  MeshSnapshot.build({ configs: configsFromYaml(docs.join('\n---\n')), services: BOOKINFO_SERVICES, workloads: BOOKINFO_WORKLOADS, mesh: DEFAULT_MESH_CONFIG }, 1);

const REVIEWS = 'reviews.default.svc.cluster.local';
const client = (namespace: string, app: string): RuleClient => ({ namespace, labels: { app } });
const nameOf = (s: MeshSnapshot, c: RuleClient) => s.destinationRuleFor(REVIEWS, c)?.metadata.name;

describe('MeshSnapshot.destinationRuleFor (Istio SidecarScope.DestinationRule)', () => {
  it('gives a selected proxy of the rule namespace the workload-selected rule, every other proxy the catch-all', () => {
    const s = snapshotOf(dr('all', 'default', 'reviews'), dr('canary', 'default', 'reviews', 'canary'));
    expect(nameOf(s, client('default', 'canary'))).toBe('canary');
    expect(nameOf(s, client('default', 'productpage'))).toBe('all');
    // Selector rules do not cross namespaces: the same labels elsewhere get the exported catch-all.
    expect(nameOf(s, client('other', 'canary'))).toBe('all');
  });

  it('without a catch-all, an unselected proxy gets no rule', () => {
    const s = snapshotOf(dr('canary', 'default', 'reviews', 'canary'));
    expect(nameOf(s, client('default', 'canary'))).toBe('canary');
    expect(nameOf(s, client('default', 'productpage'))).toBeUndefined();
  });

  it('takes the most specific host first: an exact catch-all of the namespace beats a selected wildcard', () => {
    const s = snapshotOf(dr('exact', 'default', 'reviews'), dr('wild', 'default', '*.svc.cluster.local', 'canary'));
    expect(nameOf(s, client('default', 'canary'))).toBe('exact');
    const t = snapshotOf(dr('wild', 'default', '*.svc.cluster.local'), dr('exact-canary', 'default', 'reviews', 'canary'));
    expect(nameOf(t, client('default', 'canary'))).toBe('exact-canary');
    expect(nameOf(t, client('default', 'productpage'))).toBe('wild');
  });

  it('prefers an exact-host selected rule over a wildcard one, then config order', () => {
    const s = snapshotOf(dr('b-wild', 'default', '*.default.svc.cluster.local', 'canary'), dr('z-exact', 'default', 'reviews', 'canary'), dr('a-exact', 'default', 'reviews', 'canary'));
    expect(nameOf(s, client('default', 'canary'))).toBe('a-exact');
  });
});
