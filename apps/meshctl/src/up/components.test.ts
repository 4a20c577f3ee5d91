import fs from 'node:fs';
import path from 'node:path';
import { PILOT_ENV } from '@mizzen/contracts';
import { describe, expect, it } from 'vitest';
import { type ControlPlaneEndpoints, pilotSpec } from './components';

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
