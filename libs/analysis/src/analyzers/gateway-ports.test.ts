import { describe, expect, it } from 'vitest';
import { run } from '../testing/fixtures';
import { gatewayPortAnalyzer } from './gateway-ports';

describe('gateway.IngressGatewayPortAnalyzer (IST0162)', () => {
  it("reports server ports that no service in front of the gateway's workloads targets", () => {
    expect(run(gatewayPortAnalyzer, 'gateway-ports.yaml')).toEqual([
      'Warning [IST0162] (Gateway default/public) The gateway is listening on a target port (port 8443) that is not defined in the Service associated with its workload instances (Pod selector istio=ingressgateway). If you need to access the gateway port through the gateway Service, it will not be available.',
    ]);
  });
});
