import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CitadelToken, PROXY_NODE_ARGS } from '@mizzen/contracts';
import { freePort, waitFor } from '@mizzen/testkit';
import type { Cleanup } from '../../common/cleanup';
import { startNginx, type Nginx } from '../../common/nginx';
import { appMain, benchDist } from '../../common/paths';
import { type BenchProcess, startNodeProcess } from '../../common/processes';
import { ControlPlane } from '../../control-plane/control-plane';
import { registryFixture } from '../../control-plane/registry-fixture';
import { type LoadProtocol, openConnection } from '../../load/connections';
import type { BenchSettings } from '../scenario';

/** Loopback addresses of this scenario (127.0.77.0/24, nothing else uses it). */
export const ADDR = {
  upstream: '127.0.77.10',
  serverSidecar: '127.0.77.11',
  clientSidecar: '127.0.77.12',
  nginxProxy: '127.0.77.13',
  /** The mTLS pair: sidecars with certificate agents (Citadel), auto mTLS between them. */
  serverSidecarMtls: '127.0.77.16',
  clientSidecarMtls: '127.0.77.17',
} as const;

/** Namespace of the mTLS pair: no PeerAuthentication there, so Istio's PERMISSIVE default and auto mTLS apply. */
const MTLS_NAMESPACE = 'bench-mtls';

/** An upstream kind: the node:http server, or nginx serving a static file. */
export interface Upstream {
  name: 'node' | 'nginx-static';
  port: number;
  /** ServiceEntry host for the one-proxy path. */
  entryHost: string;
  /** Port of the nginx reverse proxy in front of it. */
  nginxProxyPort: number;
  /** Port of `bench-mesh` (the server sidecar's inbound) in front of it. */
  meshPort: number;
}

export const UPSTREAMS: Record<Upstream['name'], Upstream> = {
  node: { name: 'node', port: 18080, entryHost: 'bench-node.bench.local', nginxProxyPort: 8080, meshPort: 9080 },
  'nginx-static': { name: 'nginx-static', port: 18081, entryHost: 'bench-static.bench.local', nginxProxyPort: 8081, meshPort: 9081 },
};

/** HTTP/2 upstreams: h2c on 18082, gRPC on 18083 (one process), behind ServiceEntries and the server sidecar. */
export const H2 = {
  h2: { protocol: 'h2' as const, port: 18082, entryHost: 'bench-h2.bench.local', meshPort: 9082, portName: 'http2', proto: 'HTTP2', target: '/1k' },
  grpc: { protocol: 'grpc' as const, port: 18083, entryHost: 'bench-grpc.bench.local', meshPort: 9083, portName: 'grpc', proto: 'GRPC', target: '/bench.Bench/Get' },
};

export interface OverheadEnv {
  cp: ControlPlane;
  upstreams: Upstream[];
  nodeUpstream: BenchProcess;
  h2Upstream: BenchProcess;
  /** HTTP/2 and gRPC paths that answered during setup (empty when the proxy lacks HTTP/2). */
  h2Kinds: Array<keyof typeof H2>;
  staticUpstream?: Nginx;
  nginxProxy?: Nginx;
  clientSidecar: BenchProcess;
  serverSidecar: BenchProcess;
  citadel: BenchProcess;
  clientSidecarMtls: BenchProcess;
  serverSidecarMtls: BenchProcess;
  /** Services in the registry besides the bench's own (a mesh of realistic size). */
  fillerServices: number;
  notes: string[];
}

const serviceEntry = (host: string, port: number, name: string, protocol: string): string => `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ${host.split('.')[0]}, namespace: default }
spec:
  hosts: [${host}]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{ number: ${port}, name: ${name}, protocol: ${protocol} }]
  endpoints: [{ address: ${ADDR.upstream} }]
`;

const PLAINTEXT_NAMESPACE = `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: bench-plaintext, namespace: default }
spec:
  mtls: { mode: DISABLE }
`;

const serviceEntries = (upstreams: Upstream[]): string =>
  [...upstreams.map((u) => serviceEntry(u.entryHost, u.port, 'http', 'HTTP')), ...Object.values(H2).map((h) => serviceEntry(h.entryHost, h.port, h.portName, h.proto))].join('---\n');

/** nginx as a reverse proxy with keep-alive upstreams, one server block per upstream. */
const nginxProxyBlocks = (upstreams: Upstream[]): string =>
  upstreams
    .map(
      (u) => `
  upstream up_${u.port} { server ${ADDR.upstream}:${u.port}; keepalive 64; }
  server {
    listen ${ADDR.nginxProxy}:${u.nginxProxyPort};
    location / { proxy_pass http://up_${u.port}; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }`,
    )
    .join('\n');

/**
 * Starts the upstreams, nginx (1 worker, as the Mizzen proxy is one process), the control plane
 * with a filler registry, ServiceEntries for the one-proxy path, the server sidecar (inbound in
 * front of the upstreams, registering `bench-mesh`) and the client sidecar (plaintext), then
 * Citadel and the same pair with certificate agents in namespace `bench-mtls` (`bench-mesh-mtls`,
 * auto mTLS); then waits until every path answers 200.
 */
export async function setupOverhead(s: BenchSettings, cleanup: Cleanup): Promise<OverheadEnv> {
  const notes: string[] = [];
  const haveNginx = !s.missingTools.has('nginx');
  if (!haveNginx) notes.push(`nginx baselines skipped: ${s.missingTools.get('nginx')}`);
  const upstreams = haveNginx ? [UPSTREAMS.node, UPSTREAMS['nginx-static']] : [UPSTREAMS.node];

  const nodeUpstream = await startNodeProcess(cleanup, {
    name: 'upstream-node',
    script: benchDist('scenarios', 'sidecar-overhead', 'upstream-server.js'),
    args: ['--host', ADDR.upstream, '--port', String(UPSTREAMS.node.port)],
    readyLine: /listening/,
  });
  const h2Upstream = await startNodeProcess(cleanup, {
    name: 'upstream-h2',
    script: benchDist('scenarios', 'sidecar-overhead', 'h2-upstream.js'),
    args: ['--host', ADDR.upstream, '--h2-port', String(H2.h2.port), '--grpc-port', String(H2.grpc.port)],
    readyLine: /listening/,
  });
  let staticUpstream: Nginx | undefined;
  let nginxProxy: Nginx | undefined;
  if (haveNginx) {
    const u = UPSTREAMS['nginx-static'];
    staticUpstream = await startNginx(cleanup, {
      name: 'upstream-nginx-static',
      workers: 1,
      httpBlocks: `  server { listen ${ADDR.upstream}:${u.port}; root ` + '${WWW}' + `; location / { } }`,
      listens: [`${ADDR.upstream}:${u.port}`],
      files: { '1k': Buffer.alloc(1024, 'x') },
    });
    nginxProxy = await startNginx(cleanup, { name: 'nginx-proxy', workers: 1, httpBlocks: nginxProxyBlocks(upstreams), listens: upstreams.map((x) => `${ADDR.nginxProxy}:${x.nginxProxyPort}`) });
  }

  const cp = await ControlPlane.start(cleanup);
  const fillerServices = s.quick ? 100 : 1000;
  const filler = registryFixture(fillerServices, 1);
  await cp.putServices(filler.services, filler.workloads);
  // The bench's sidecars run without a certificate agent (plaintext): a namespace policy turns
  // inbound mTLS off, or Pilot's PERMISSIVE default makes their inbound listeners need `default`.
  await cp.apply(`${serviceEntries(upstreams)}---\n${PLAINTEXT_NAMESPACE}`);

  const sidecar = (name: string, ip: string, extra: string[], namespace = 'default') =>
    startNodeProcess(cleanup, {
      name,
      script: appMain('proxy'),
      nodeArgs: PROXY_NODE_ARGS,
      args: ['--type', 'sidecar', '--ip', ip, '--namespace', namespace, '--pilot', cp.pilotTarget, '--access-log', 'off', ...extra],
      readyLine: /proxy ready/,
      readyTimeoutMs: 60_000,
      profilable: true,
    });
  const serverSidecar = await sidecar('sidecar-server', ADDR.serverSidecar, [
    '--workload', 'bench-mesh-v1', '--service', 'bench-mesh', '--labels', 'app=bench-mesh,version=v1',
    ...upstreams.flatMap((u) => ['--inbound', `${u.name === 'node' ? 'http' : 'http-static'}:${u.meshPort}=${ADDR.upstream}:${u.port}`]),
    ...Object.values(H2).flatMap((h) => ['--inbound', `${h.portName}:${h.meshPort}=${ADDR.upstream}:${h.port}`]),
  ]);
  const clientSidecar = await sidecar('sidecar-client', ADDR.clientSidecar, ['--workload', 'bench-client-v1', '--labels', 'app=bench-client,version=v1']);

  // The mTLS pair, as `meshctl up` runs a workload: Citadel (TLS CSR port) on the same NATS, a
  // bootstrap token per identity, agents that fetch their certificates; auto mTLS between them.
  const caDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-overhead-ca-'));
  cleanup.add('overhead CA dir', () => fs.rmSync(caDir, { recursive: true, force: true }));
  const caPort = await freePort();
  const citadel = await startNodeProcess(cleanup, { name: 'citadel', script: appMain('citadel'), args: ['--nats', cp.nats.url, '--ca-dir', path.join(caDir, 'ca'), '--grpc-port', String(caPort), '--log-level', 'warn'], readyLine: /citadel ready/, readyTimeoutMs: 60_000 });
  const meshAccess = async (sa: string): Promise<string[]> => {
    const { token } = await cp.bus.request(CitadelToken, { namespace: MTLS_NAMESPACE, serviceAccount: sa, requester: 'bench', ttlSeconds: 86_400 }, { timeoutMs: 10_000 });
    const file = path.join(caDir, `${sa}.token`);
    fs.writeFileSync(file, token, { mode: 0o600 });
    return ['--service-account', sa, '--ca-addr', `127.0.0.1:${caPort}`, '--ca-token-file', file, '--ca-root-file', path.join(caDir, 'ca', 'root-cert.pem')];
  };
  const serverSidecarMtls = await sidecar(
    'sidecar-server-mtls',
    ADDR.serverSidecarMtls,
    ['--workload', 'bench-mesh-mtls-v1', '--service', 'bench-mesh-mtls', '--labels', 'app=bench-mesh-mtls,version=v1', ...upstreams.flatMap((u) => ['--inbound', `${u.name === 'node' ? 'http' : 'http-static'}:${u.meshPort}=${ADDR.upstream}:${u.port}`]), ...(await meshAccess('bench-mesh'))],
    MTLS_NAMESPACE,
  );
  const clientSidecarMtls = await sidecar('sidecar-client-mtls', ADDR.clientSidecarMtls, ['--workload', 'bench-client-mtls-v1', '--labels', 'app=bench-client-mtls,version=v1', ...(await meshAccess('bench-client'))], MTLS_NAMESPACE);

  for (const u of upstreams) {
    for (const t of targets(u).filter((x) => x.config !== 'nginx' || nginxProxy)) await waitFor(() => answers200(t), { timeoutMs: 60_000, intervalMs: 200, message: `${t.config} -> ${u.name} never answered 200` });
  }
  // HTTP/2 and gRPC through the proxy are measured only where they work (the proxy grew HTTP/2
  // while this harness was written); a path that never answers is reported, not fatal.
  const h2Kinds: Array<keyof typeof H2> = [];
  for (const kind of Object.keys(H2) as Array<keyof typeof H2>) {
    const ts = h2Targets(kind);
    const ok = await Promise.all(ts.map((t) => waitFor(() => answers200(t), { timeoutMs: 15_000, intervalMs: 200 }).then(() => true, () => false)));
    if (ok.every(Boolean)) h2Kinds.push(kind);
    else notes.push(`${kind === 'h2' ? 'HTTP/2' : 'gRPC'}: ${ts.filter((_, i) => !ok[i]).map((t) => t.config).join(', ')} never answered during setup; not measured.`);
  }
  return { cp, upstreams, nodeUpstream, h2Upstream, h2Kinds, staticUpstream, nginxProxy, clientSidecar, serverSidecar, citadel, clientSidecarMtls, serverSidecarMtls, fillerServices, notes };
}

export type ConfigName = 'direct' | 'nginx' | 'mizzen-1-proxy' | 'mizzen-2-sidecars' | 'mizzen-2-sidecars-mtls';
export const CONFIGS: readonly ConfigName[] = ['direct', 'nginx', 'mizzen-1-proxy', 'mizzen-2-sidecars', 'mizzen-2-sidecars-mtls'];

export interface Target {
  config: ConfigName;
  protocol: LoadProtocol;
  host: string;
  port: number;
  /** Request target (absolute-form for the sidecar's HTTP proxy listener). */
  target: string;
  hostHeader: string;
}

/** The request each configuration sends for an upstream. */
export function targets(u: Upstream, only?: ConfigName): Target[] {
  const all: Target[] = [
    { config: 'direct', protocol: 'http1', host: ADDR.upstream, port: u.port, target: '/1k', hostHeader: `${ADDR.upstream}:${u.port}` },
    { config: 'nginx', protocol: 'http1', host: ADDR.nginxProxy, port: u.nginxProxyPort, target: '/1k', hostHeader: `${ADDR.nginxProxy}:${u.nginxProxyPort}` },
    { config: 'mizzen-1-proxy', protocol: 'http1', host: ADDR.clientSidecar, port: 15001, target: `http://${u.entryHost}:${u.port}/1k`, hostHeader: `${u.entryHost}:${u.port}` },
    { config: 'mizzen-2-sidecars', protocol: 'http1', host: ADDR.clientSidecar, port: 15001, target: `http://bench-mesh:${u.meshPort}/1k`, hostHeader: `bench-mesh:${u.meshPort}` },
    { config: 'mizzen-2-sidecars-mtls', protocol: 'http1', host: ADDR.clientSidecarMtls, port: 15001, target: `http://bench-mesh-mtls:${u.meshPort}/1k`, hostHeader: `bench-mesh-mtls:${u.meshPort}` },
  ];
  return all.filter((t) => (only ? t.config === only : true));
}

/** HTTP/2 (h2c) or gRPC unary: direct, through one proxy, through two sidecars (no nginx baseline). */
export function h2Targets(kind: keyof typeof H2): Target[] {
  const h = H2[kind];
  return [
    { config: 'direct', protocol: h.protocol, host: ADDR.upstream, port: h.port, target: h.target, hostHeader: `${ADDR.upstream}:${h.port}` },
    { config: 'mizzen-1-proxy', protocol: h.protocol, host: ADDR.clientSidecar, port: 15001, target: h.target, hostHeader: `${h.entryHost}:${h.port}` },
    { config: 'mizzen-2-sidecars', protocol: h.protocol, host: ADDR.clientSidecar, port: 15001, target: h.target, hostHeader: `bench-mesh:${h.meshPort}` },
  ];
}

async function answers200(t: Target): Promise<boolean> {
  const c = openConnection(t);
  try {
    await c.connect(2000);
    const status = await new Promise<number>((resolve) => c.send((st, err) => resolve(err ? 0 : st)));
    return status === 200;
  } catch {
    return false;
  } finally {
    c.close();
  }
}
