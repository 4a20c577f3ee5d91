#!/usr/bin/env node
import { Command } from 'commander';
import { registerAnalyze } from './commands/analyze';
import { registerConfigCommands } from './commands/config-commands';
import { registerCa } from './commands/ca';
import { registerExplain } from './commands/explain';
import { registerProxyConfig } from './commands/proxy-config';
import { registerProxyStatus } from './commands/proxy-status';
import { registerCreateSecret } from './commands/secrets';
import { up } from './up/up';
import { DEFAULT_STATE_DIR } from './up/mesh-state-file';

const program = new Command('meshctl').description('Mizzen mesh control: start a local mesh, apply and inspect config');

program
  .command('up')
  .description('start a local mesh (NATS, Galley, Citadel, Pilot, ingress and egress gateways) with a sample app behind sidecars')
  .option('--sample <name>', 'sample under samples/', 'bookinfo')
  .option('--state-dir <dir>', 'where logs, NATS data and the mesh state file go', DEFAULT_STATE_DIR)
  .option('--gateway-ip <ip>', 'loopback address of the ingress gateway', '127.0.0.1')
  .option('--egress-gateway-ip <ip>', 'loopback address of the egress gateway (default <ip-block>.254)')
  .option('--ip-block <a.b.c>', 'loopback /24 for workload addresses', '127.1.0')
  .option('--pilot-grpc-port <port>', 'Pilot xDS port', '15010')
  .option('--pilot-secure-port <port>', 'Pilot xDS over TLS (certificate from Citadel)', '15011')
  .option('--pilot-debug-port <port>', 'Pilot debug HTTP port', '15014')
  .option('--citadel-grpc-port <port>', 'Citadel CSR (IstioCertificateService) port', '15012')
  .option('--config-dir <dir>', 'also let Galley watch this directory of YAML')
  .option('--outbound-traffic-policy <mode>', 'ALLOW_ANY or REGISTRY_ONLY (MeshConfig outboundTrafficPolicy)', process.env.MIZZEN_OUTBOUND_TRAFFIC_POLICY ?? 'ALLOW_ANY')
  .option('--mesh-config <file>', "Istio MeshConfig YAML for Pilot (extensionProviders for CUSTOM authorization, outboundTrafficPolicy, trustDomain)", process.env.MIZZEN_MESH_CONFIG)
  .action(async (o: { sample: string; stateDir: string; gatewayIp: string; egressGatewayIp?: string; ipBlock: string; pilotGrpcPort: string; pilotSecurePort: string; pilotDebugPort: string; citadelGrpcPort: string; configDir?: string; outboundTrafficPolicy: string; meshConfig?: string }) => {
    if (o.outboundTrafficPolicy !== 'ALLOW_ANY' && o.outboundTrafficPolicy !== 'REGISTRY_ONLY') throw new Error(`--outbound-traffic-policy: "${o.outboundTrafficPolicy}" must be ALLOW_ANY or REGISTRY_ONLY`);
    await up({ ...o, pilotGrpcPort: Number(o.pilotGrpcPort), pilotSecurePort: Number(o.pilotSecurePort), pilotDebugPort: Number(o.pilotDebugPort), citadelGrpcPort: Number(o.citadelGrpcPort), outboundTrafficPolicy: o.outboundTrafficPolicy });
  });
registerConfigCommands(program);
registerProxyStatus(program);
registerProxyConfig(program);
registerAnalyze(program);
registerExplain(program);
registerCa(program);
registerCreateSecret(program);

program.parseAsync(process.argv).catch((e: Error) => {
  console.error(`error: ${e.message}`);
  process.exit(1);
});
