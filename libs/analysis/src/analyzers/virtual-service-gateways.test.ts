import { describe, expect, it } from 'vitest';
import { run, runMessages } from '../testing/fixtures';
import { virtualServiceGatewayAnalyzer } from './virtual-service-gateways';

describe('virtualservice.GatewayAnalyzer (IST0101 gateway, IST0132)', () => {
  it('reports missing gateways and gateways that do not serve any of the hosts', () => {
    expect(run(virtualServiceGatewayAnalyzer, 'virtual-service-gateways.bad.yaml')).toEqual([
      'Error [IST0101] (VirtualService default/bookinfo) Referenced gateway not found: "bookinfo-gw"',
      'Warning [IST0132] (VirtualService default/bookinfo) one or more host [bookinfo.local shop.internal] defined in VirtualService default/bookinfo not found in Gateway default/public.',
      'Warning [IST0132] (VirtualService default/bookinfo) one or more host [bookinfo.local shop.internal] defined in VirtualService default/bookinfo not found in Gateway edge/edge.',
    ]);
    expect(runMessages(virtualServiceGatewayAnalyzer, 'virtual-service-gateways.bad.yaml').map((m) => m.path)).toEqual([
      'spec.gateways[0]',
      'spec.gateways[1]',
      'spec.gateways[2]',
    ]);
  });

  it('accepts "*", wildcard and namespace-scoped server hosts, and the mesh gateway', () => {
    expect(run(virtualServiceGatewayAnalyzer, 'virtual-service-gateways.good.yaml')).toEqual([]);
  });
});
