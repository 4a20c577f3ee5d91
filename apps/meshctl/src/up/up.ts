import fs from 'node:fs';
import path from 'node:path';
import { MeshClient } from '../client/mesh-client';
import { printReply } from '../commands/report';
import { EGRESS_GATEWAY, EGRESS_GATEWAY_PORTS, egressGatewayServiceEntry, INGRESS_GATEWAY } from './gateways';
import { appSpec, citadelSpec, type ControlPlaneEndpoints, galleySpec, gatewaySpec, pilotSpec, REPO_ROOT, sidecarSpec } from './components';
import { parseWorkloadsFile, planWorkloads } from './mesh-plan';
import { mintBootstrapTokens } from './identities';
import { removeStateFile, writeStateFile } from './mesh-state-file';
import { findOnPath, NATS_MISSING, natsServerSpec } from './nats';
import { type ProcessSpec, Supervisor } from './supervisor';

export interface UpOptions {
  sample: string;
  stateDir: string;
  gatewayIp: string;
  /** Address of the egress gateway (default: `<ipBlock>.254`). */
  egressGatewayIp?: string;
  /** First three octets of the workload addresses (default 127.1.0). */
  ipBlock: string;
  pilotGrpcPort: number;
  pilotSecurePort: number;
  pilotDebugPort: number;
  citadelGrpcPort: number;
  configDir?: string;
  /** MeshConfig outboundTrafficPolicy.mode for every sidecar (Istio's default ALLOW_ANY). */
  outboundTrafficPolicy?: 'ALLOW_ANY' | 'REGISTRY_ONLY';
  /** Istio MeshConfig YAML for Pilot (extensionProviders for CUSTOM authorization, ...). */
  meshConfig?: string;
}

/**
 * `meshctl up`: NATS (NATS_URL, or a nats-server it starts), Galley, Pilot, the sample's mesh
 * config, an ingress and an egress gateway and every sample workload behind its sidecar. Prints progress and
 * the URLs; Ctrl-C stops everything in reverse order.
 */
export async function up(o: UpOptions): Promise<void> {
  const sampleDir = path.resolve(REPO_ROOT, 'samples', o.sample);
  const workloadsPath = path.join(sampleDir, 'workloads.yaml');
  if (!fs.existsSync(workloadsPath)) throw new Error(`no sample "${o.sample}" (expected ${workloadsPath})`);
  const workloads = planWorkloads(parseWorkloadsFile(fs.readFileSync(workloadsPath, 'utf8'), workloadsPath), o.ipBlock);
  const stateDir = path.resolve(o.stateDir);
  const logDir = path.join(stateDir, 'logs');
  let stopping = false;
  const sup = new Supervisor(logDir, (name, code) => {
    if (!stopping) console.error(`! ${name} exited unexpectedly (code ${code}); see ${path.join(logDir, name + '.log')}`);
  });
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping the mesh...');
    await sup.stopAll();
    removeStateFile(stateDir);
    console.log('stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  let natsUrl = process.env.NATS_URL;
  const steps: Array<[string, () => Promise<void>]> = [];
  if (!natsUrl) {
    const bin = findOnPath('nats-server');
    if (!bin) throw new Error(NATS_MISSING);
    const nats = await natsServerSpec(bin, stateDir);
    natsUrl = nats.url;
    steps.push([`nats-server (${nats.url})`, () => sup.start(nats.spec)]);
  }
  const cp: ControlPlaneEndpoints = { natsUrl, citadelGrpcPort: o.citadelGrpcPort, caRootFile: path.join(stateDir, 'citadel', 'root-cert.pem'), pilotHost: '127.0.0.1', pilotGrpcPort: o.pilotGrpcPort, pilotSecurePort: o.pilotSecurePort, pilotDebugPort: o.pilotDebugPort };
  const start = (spec: ProcessSpec) => () => sup.start(spec);
  steps.push(['galley', start(galleySpec(cp, o.configDir))], [`citadel (CA on 127.0.0.1:${o.citadelGrpcPort})`, start(citadelSpec(cp, stateDir))], ['pilot', start(pilotSpec(cp, o.outboundTrafficPolicy, o.meshConfig && path.resolve(o.meshConfig)))]);
  const egressIp = o.egressGatewayIp ?? `${o.ipBlock}.254`;
  steps.push(['mesh config (samples/' + o.sample + '/mesh.yaml)', () => applySampleConfig(cp.natsUrl, sampleDir)]);
  steps.push([`egress gateway service (${EGRESS_GATEWAY.name}.${EGRESS_GATEWAY.namespace} -> ${egressIp})`, () => applyConfig(cp.natsUrl, egressGatewayServiceEntry(egressIp), 'the egress gateway ServiceEntry')]);
  let tokens = new Map<string, string>();
  steps.push([`workload identities (bootstrap tokens from Citadel in ${path.join(stateDir, 'identities')})`, async () => void (tokens = await mintBootstrapTokens(natsUrl, stateDir, [INGRESS_GATEWAY, EGRESS_GATEWAY, ...workloads]))]);
  const token = (name: string) => tokens.get(name) ?? '';
  steps.push([`ingress gateway (${o.gatewayIp})`, () => sup.start(gatewaySpec(cp, INGRESS_GATEWAY, o.gatewayIp, token(INGRESS_GATEWAY.name)))]);
  steps.push([`egress gateway (${egressIp})`, () => sup.start(gatewaySpec(cp, EGRESS_GATEWAY, egressIp, token(EGRESS_GATEWAY.name)))]);
  for (const w of workloads) {
    steps.push([`${w.name} app (${w.ip}:${w.ports[0].appPort})`, start(appSpec(w, sampleDir))]);
    steps.push([`${w.name} sidecar (${w.ip})`, () => sup.start(sidecarSpec(w, cp, token(w.name)))]);
  }
  console.log(`starting a local mesh with the ${o.sample} sample (logs in ${logDir})`);
  try {
    for (const [i, [label, run]] of steps.entries()) {
      const t0 = Date.now();
      process.stdout.write(`[${String(i + 1).padStart(2)}/${steps.length}] ${label} ... `);
      await run();
      console.log(`ok (${Date.now() - t0} ms)`);
    }
  } catch (e) {
    console.log('failed');
    console.error((e as Error).message);
    await stop(1);
    return;
  }
  writeStateFile(stateDir, { natsUrl, pilotDebug: `http://127.0.0.1:${o.pilotDebugPort}`, gateway: `http://${o.gatewayIp}:8080`, startedAt: new Date().toISOString(), pids: sup.pids() });
  console.log(`
The mesh is up.
  Product page:   http://${o.gatewayIp}:8080/productpage
  Egress gateway: ${egressIp} (${EGRESS_GATEWAY.name}.${EGRESS_GATEWAY.namespace}.svc.cluster.local:${EGRESS_GATEWAY_PORTS.http}/${EGRESS_GATEWAY_PORTS.tls})
  Pilot xDS:      127.0.0.1:${o.pilotGrpcPort}, TLS 127.0.0.1:${o.pilotSecurePort}  (debug: http://127.0.0.1:${o.pilotDebugPort}/debug/syncz)
  Citadel CA:     127.0.0.1:${o.citadelGrpcPort}  (CA files in ${path.join(stateDir, 'citadel')})
  NATS:           ${natsUrl}
  Workloads:      ${workloads.map((w) => `${w.name}@${w.ip}`).join(', ')}
  Sidecar admin:  http://<workload ip>:15000/config_dump, /stats, /ready
Try:
  npm run meshctl -- apply -f samples/${o.sample}/networking/virtual-service-all-v1.yaml
  npm run meshctl -- get virtualservices
  npm run meshctl -- proxy-status
Press Ctrl-C to stop.`);
}

async function applySampleConfig(natsUrl: string, sampleDir: string): Promise<void> {
  const file = path.join(sampleDir, 'mesh.yaml');
  if (!fs.existsSync(file)) return;
  await applyConfig(natsUrl, fs.readFileSync(file, 'utf8'), 'samples mesh.yaml');
}

async function applyConfig(natsUrl: string, yaml: string, what: string): Promise<void> {
  const client = await MeshClient.connect(natsUrl);
  try {
    const reply = await client.apply(yaml, 'api', 'default');
    const lines: string[] = [];
    if (printReply(reply, () => {}, (s) => lines.push(s)) !== 0) throw new Error(`${what} was rejected:\n${lines.join('\n')}`);
  } finally {
    await client.close();
  }
}
