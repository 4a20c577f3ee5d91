import fs from 'node:fs';
import path from 'node:path';
import { PILOT_ENV, PROXY_NODE_ARGS } from '@mizzen/contracts';
import { describe, expect, it } from 'vitest';
import { type ControlPlaneEndpoints, gatewaySpec, pilotSpec, sidecarSpec } from './components';
import { INGRESS_GATEWAY } from './gateways';
import type { PlannedWorkload } from './mesh-plan';

const endpoints: ControlPlaneEndpoints = { natsUrl: 'nats://127.0.0.1:4222', citadelGrpcPort: 15012, caRootFile: '/tmp/root-cert.pem', pilotHost: '127.0.0.1', pilotGrpcPort: 15010, pilotSecurePort: 15011, pilotDebugPort: 15014 };

describe('Pilot runtime environment', () => {
  it('meshctl up starts Pilot with PILOT_ENV', () => {
    const spec = pilotSpec(endpoints);
    expect(spec.env).toEqual(PILOT_ENV);
  });

  it('the container entrypoint sets the same GLIBC_TUNABLES for Pilot', () => {
    const entrypoint = fs.readFileSync(path.resolve(__dirname, '../../../../deploy/docker/entrypoint.sh'), 'utf8');
    expect(entrypoint).toContain(`export GLIBC_TUNABLES=${PILOT_ENV.GLIBC_TUNABLES}`);
  });
});

describe('proxy runtime flags', () => {
  const entrypoint = (): string => fs.readFileSync(path.resolve(__dirname, '../../../../deploy/docker/entrypoint.sh'), 'utf8');

  it('meshctl up starts sidecars and gateways with PROXY_NODE_ARGS before the script', () => {
    const w = { name: 'reviews-v1', ip: '127.0.0.5', namespace: 'default', service: 'reviews', serviceAccount: 'reviews', labels: { app: 'reviews' }, ports: [] } as unknown as PlannedWorkload;
    for (const spec of [sidecarSpec(w, endpoints, '/tmp/t'), gatewaySpec(endpoints, INGRESS_GATEWAY, '127.0.0.6', '/tmp/t')]) {
      expect(spec.args.slice(0, PROXY_NODE_ARGS.length)).toEqual([...PROXY_NODE_ARGS]);
      expect(spec.args[PROXY_NODE_ARGS.length]).toMatch(/apps\/proxy\/dist\/main\.js$/);
    }
  });

  it('the container entrypoint starts the proxy with the same flags', () => {
    expect(entrypoint()).toContain(`proxy) exec node ${PROXY_NODE_ARGS.join(' ')} /mizzen/apps/proxy/dist/main.js`);
  });
});
