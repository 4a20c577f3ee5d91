import { describe, expect, it } from 'vitest';
import { run } from '../testing/fixtures';
import { conflictingGatewayAnalyzer } from './conflicting-gateways';

describe('gateway.ConflictingGatewayAnalyzer (IST0145)', () => {
  it('reports gateways with the same selector and port and overlapping hosts, and nothing else', () => {
    expect(run(conflictingGatewayAnalyzer, 'conflicting-gateways.yaml')).toEqual([
      'Error [IST0145] (Gateway default/a) Conflict with gateways shop/b (workload selector istio=ingressgateway, port 8080, hosts *.example.com).',
      'Error [IST0145] (Gateway shop/b) Conflict with gateways default/a (workload selector istio=ingressgateway, port 8080, hosts ./shop.example.com,other.org).',
    ]);
  });
});
