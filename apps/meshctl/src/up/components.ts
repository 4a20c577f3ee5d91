import path from 'node:path';
import { PILOT_ENV, PROXY_NODE_ARGS } from '@mizzen/contracts';
import type { GatewayWorkload } from './gateways';
import type { PlannedWorkload } from './mesh-plan';
import type { ProcessSpec } from './supervisor';

/** Repository root, from this file's place in `apps/meshctl/dist/up/`. */
export const REPO_ROOT = path.resolve(__dirname, '../../../..');
const app = (name: string) => path.join(REPO_ROOT, 'apps', name, 'dist', 'main.js');

export interface ControlPlaneEndpoints {
  natsUrl: string;
  citadelGrpcPort: number;
  /** The mesh root Citadel's TLS CSR port is verified against (its CA directory's root-cert.pem). */
  caRootFile: string;
  pilotHost: string;
  pilotGrpcPort: number;
  /** Pilot's TLS xDS port (certificate from Citadel). */
  pilotSecurePort: number;
  pilotDebugPort: number;
}

export function galleySpec(cp: ControlPlaneEndpoints, configDir?: string): ProcessSpec {
  return { name: 'galley', command: process.execPath, args: [app('galley'), '--nats', cp.natsUrl, ...(configDir ? ['--config-dir', configDir] : [])], ready: /galley ready/ };
}

/** Citadel with its CA kept in the mesh's state directory (created on first start, mode 0600). */
export function citadelSpec(cp: ControlPlaneEndpoints, stateDir: string): ProcessSpec {
  return {
    name: 'citadel',
    command: process.execPath,
    args: [app('citadel'), '--nats', cp.natsUrl, '--ca-dir', path.join(stateDir, 'citadel'), '--grpc-port', String(cp.citadelGrpcPort)],
    ready: /citadel ready/,
  };
}

export function pilotSpec(cp: ControlPlaneEndpoints, outboundTrafficPolicy: 'ALLOW_ANY' | 'REGISTRY_ONLY' = 'ALLOW_ANY', meshConfig?: string): ProcessSpec {
  return {
    name: 'pilot',
    command: process.execPath,
    args: [app('pilot'), '--nats', cp.natsUrl, '--grpc-host', cp.pilotHost, '--grpc-port', String(cp.pilotGrpcPort), '--secure-grpc-port', String(cp.pilotSecurePort), '--debug-port', String(cp.pilotDebugPort), '--outbound-traffic-policy', outboundTrafficPolicy, ...(meshConfig ? ['--mesh-config', meshConfig] : [])],
    ready: /pilot ready/,
    env: { ...PILOT_ENV },
  };
}

/**
 * How a proxy joins the mesh securely: its agent gets a workload certificate from Citadel with the
 * bootstrap token meshctl minted for it over Citadel's TLS port, verified against the mesh root
 * file, and it reaches Pilot on the TLS port, verified against ROOTCA (Istio: CA_ADDR, the
 * service-account token, the mounted root-cert.pem, and istiod's port 15012).
 */
function meshAccess(cp: ControlPlaneEndpoints, tokenFile: string): string[] {
  return ['--ca-addr', `127.0.0.1:${cp.citadelGrpcPort}`, '--ca-token-file', tokenFile, '--ca-root-file', cp.caRootFile, '--pilot', `${cp.pilotHost}:${cp.pilotSecurePort}`, '--pilot-tls'];
}

/** A gateway: the proxy as a router with the gateway's identity and labels. */
export function gatewaySpec(cp: ControlPlaneEndpoints, gw: GatewayWorkload, ip: string, tokenFile: string): ProcessSpec {
  const labels = Object.entries(gw.labels).map(([k, v]) => `${k}=${v}`).join(',');
  return {
    name: gw.name,
    command: process.execPath,
    args: [...PROXY_NODE_ARGS, app('proxy'), '--type', 'router', '--ip', ip, '--namespace', gw.namespace, '--workload', gw.name, '--service-account', gw.serviceAccount, '--labels', labels, ...meshAccess(cp, tokenFile)],
    ready: /proxy ready/,
  };
}

/** The application process of a workload: its own address, its app port, HTTP_PROXY to its sidecar. */
export function appSpec(w: PlannedWorkload, sampleDir: string): ProcessSpec {
  return {
    name: w.name,
    command: process.execPath,
    args: [path.join(sampleDir, w.entry)],
    cwd: sampleDir,
    env: {
      ...w.env,
      HOST: w.ip,
      PORT: String(w.ports[0].appPort),
      HTTP_PROXY: `http://${w.ip}:15001`,
      http_proxy: `http://${w.ip}:15001`,
      NO_PROXY: '',
      no_proxy: '',
      POD_NAME: w.name,
      HOSTNAME: w.name,
    },
    ready: /listening on/,
  };
}

/** The sidecar of a workload: inbound on the service ports, forwarding to the app ports. */
export function sidecarSpec(w: PlannedWorkload, cp: ControlPlaneEndpoints, tokenFile: string): ProcessSpec {
  const labels = Object.entries(w.labels).map(([k, v]) => `${k}=${v}`).join(',');
  return {
    name: `${w.name}-sidecar`,
    command: process.execPath,
    args: [
      ...PROXY_NODE_ARGS,
      app('proxy'),
      '--type', 'sidecar',
      '--ip', w.ip,
      '--namespace', w.namespace,
      '--workload', w.name,
      '--service', w.service,
      '--service-account', w.serviceAccount,
      '--labels', labels,
      ...w.ports.flatMap((p) => ['--inbound', `${p.name}:${p.port}=${w.ip}:${p.appPort}`]),
      ...(w.locality ? ['--locality', w.locality] : []),
      ...(w.readinessProbe ? ['--app-probers', JSON.stringify({ [`/app-health/${w.name}/readyz`]: w.readinessProbe })] : []),
      ...meshAccess(cp, tokenFile),
    ],
    ready: /proxy ready/,
  };
}
