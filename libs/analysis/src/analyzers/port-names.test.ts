import { describe, expect, it } from 'vitest';
import { registered, run } from '../testing/fixtures';
import { portNameAnalyzer } from './port-names';

describe('service.PortNameAnalyzer (IST0118)', () => {
  it('reports platform service ports whose names do not follow <protocol>[-suffix]', () => {
    expect(run(portNameAnalyzer, 'port-names.yaml', { services: [registered('ratings', [{ name: 'ratings', number: 9080 }, { name: 'http', number: 9081 }])] })).toEqual([
      "Info [IST0118] (Service default/details) Port name web (port: 9080, targetPort: 9081) doesn't follow the naming convention of Istio port.",
      "Info [IST0118] (Service default/ratings) Port name ratings (port: 9080, targetPort: 9080) doesn't follow the naming convention of Istio port.",
      "Info [IST0118] (Service shop/legacy) Port name  (port: 80, targetPort: 80) doesn't follow the naming convention of Istio port.",
    ]);
  });

  it('accepts conventional names, explicit protocols, and ServiceEntry ports', () => {
    expect(run(portNameAnalyzer, 'port-names.yaml').filter((l) => !l.includes('details') && !l.includes('legacy'))).toEqual([]);
    expect(run(portNameAnalyzer, 'port-names.yaml', { services: [registered('reviews', [{ name: 'web', number: 9080, protocol: 'HTTP' }])] })).not.toContainEqual(
      expect.stringContaining('reviews'),
    );
  });
});
