import { describe, expect, it } from 'vitest';
import { bookinfo, registered, run, runMessages } from '../testing/fixtures';
import { destinationHostAnalyzer } from './destination-hosts';

const registry = { ...bookinfo, services: [...bookinfo.services, registered('multi', [{ name: 'http', number: 9080 }, { name: 'http-admin', number: 9090 }])] };

describe('virtualservice.DestinationHostAnalyzer (IST0101 host, IST0112)', () => {
  it('reports hosts, mirrors and ports that do not exist, and ambiguous multi-port destinations', () => {
    expect(run(destinationHostAnalyzer, 'destination-hosts.bad.yaml', registry)).toEqual([
      'Error [IST0101] (VirtualService default/private) Referenced host not found: "private.example.com"',
      'Error [IST0101] (VirtualService default/reviews) Referenced host not found: "reviewz"',
      'Error [IST0101] (VirtualService default/reviews) Referenced host:port not found: "ratings:9090"',
      'Error [IST0101] (VirtualService default/reviews) Referenced mirror host not found: "shadow"',
      'Error [IST0112] (VirtualService default/reviews) This VirtualService routes to a service "multi" that exposes multiple ports [9080 9090]. Specifying a port in the destination is required to disambiguate.',
    ]);
  });

  it('carries the field path of the offending destination', () => {
    const paths = runMessages(destinationHostAnalyzer, 'destination-hosts.bad.yaml', registry).map((m) => m.path);
    expect(paths).toContain('spec.http[0].route[0].destination.host');
    expect(paths).toContain('spec.http[0].mirror.host');
    expect(paths).toContain('spec.http[1].route[0].destination.port.number');
  });

  it('accepts registered services, ServiceEntry hosts (exact and wildcard) and existing ports', () => {
    expect(run(destinationHostAnalyzer, 'destination-hosts.good.yaml', registry)).toEqual([]);
  });

  it('without a registry, only ServiceEntry hosts exist (as istioctl analyze on files alone)', () => {
    expect(run(destinationHostAnalyzer, 'destination-hosts.good.yaml', { workloadsKnown: false })).toEqual([
      'Error [IST0101] (VirtualService default/reviews) Referenced host not found: "multi"',
      'Error [IST0101] (VirtualService default/reviews) Referenced host not found: "reviews"',
      'Error [IST0101] (VirtualService default/reviews) Referenced mirror host not found: "details.default.svc.cluster.local"',
    ]);
  });
});
