import { Command, Option } from 'commander';
import { type AgentOptions, type RawAgentOptions, parseAgentOptions } from './options';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/**
 * The proxy's command line. Every flag has a MIZZEN_* environment equivalent; MIZZEN_INBOUND may
 * list several `name:port=host:port` specs separated by commas or spaces.
 */
export function buildCli(onRun: (o: AgentOptions) => Promise<void>): Command {
  const opt = (flags: string, desc: string, env: string): Option => new Option(flags, desc).env(env);
  return new Command('mizzen-proxy')
    .description('Mizzen sidecar / gateway proxy: an xDS-driven HTTP proxy')
    .addOption(opt('--type <type>', 'sidecar | router', 'MIZZEN_TYPE').default('sidecar'))
    .addOption(opt('--ip <ip>', "the workload's own address; every socket binds to it", 'MIZZEN_IP').default('127.0.0.1'))
    .addOption(opt('--namespace <ns>', 'namespace', 'MIZZEN_NAMESPACE').default('default'))
    .addOption(opt('--workload <name>', 'workload name', 'MIZZEN_WORKLOAD'))
    .addOption(opt('--service <name>', 'service the workload implements', 'MIZZEN_SERVICE'))
    .addOption(opt('--service-account <sa>', 'service account', 'MIZZEN_SERVICE_ACCOUNT').default('default'))
    .addOption(opt('--labels <k=v,...>', 'workload labels', 'MIZZEN_LABELS'))
    .addOption(opt('--inbound <name:port=host:port>', 'inbound port and the app address behind it (repeatable)', 'MIZZEN_INBOUND').argParser(collect))
    .addOption(opt('--locality <region/zone/subzone>', 'locality', 'MIZZEN_LOCALITY'))
    .addOption(opt('--pilot <host:port>', "Pilot's ADS address", 'MIZZEN_PILOT').default('127.0.0.1:15010'))
    .addOption(opt('--admin-port <port>', 'admin port (bound on --ip)', 'MIZZEN_ADMIN_PORT').default('15000'))
    .addOption(opt('--access-log <stdout|off>', 'access log', 'MIZZEN_ACCESS_LOG').default('stdout'))
    .addOption(opt('--ca-addr <host:port>', "Citadel's CSR endpoint; enables the certificate agent (Istio's CA_ADDR)", 'MIZZEN_CA_ADDR'))
    .addOption(opt('--ca-token-file <path>', 'bootstrap token presented to Citadel (read for every request)', 'MIZZEN_CA_TOKEN_FILE'))
    .addOption(opt('--ca-root-file <path>', "PEM root of Citadel's serving certificate (TLS to the CA); also verifies Pilot without an agent", 'MIZZEN_CA_ROOT_FILE'))
    .addOption(opt('--trust-domain <domain>', 'SPIFFE trust domain', 'MIZZEN_TRUST_DOMAIN').default('cluster.local'))
    .addOption(opt('--cert-ttl <duration>', 'requested workload certificate lifetime', 'MIZZEN_CERT_TTL').default('24h'))
    .addOption(opt('--pilot-tls', "connect to Pilot over TLS, verified against ROOTCA", 'MIZZEN_PILOT_TLS'))
    .addOption(opt('--pilot-san <uri>', "SAN Pilot's certificate must carry (default spiffe://<td>/ns/mizzen-system/sa/pilot)", 'MIZZEN_PILOT_SAN'))
    .addOption(opt('--app-probers <json>', "rewritten app probes, as Istio's injector writes them", 'ISTIO_KUBE_APP_PROBERS'))
    .addOption(opt('--status-port <port>', 'agent status port (/healthz/ready, /app-health/...); default 15020 with --app-probers, else off', 'MIZZEN_STATUS_PORT'))
    .addOption(opt('--interception-mode <mode>', 'NONE (apps connect to --ip) | TPROXY (original destinations arrive at wildcard listeners)', 'MIZZEN_INTERCEPTION_MODE').default('NONE'))
    .addOption(opt('--concurrency <n>', "worker processes serving the listeners (Envoy's --concurrency); 1 serves in this process", 'MIZZEN_CONCURRENCY').default('1'))
    .action(async (raw: RawAgentOptions & { inbound?: string[] | string }) => {
      const inbound = typeof raw.inbound === 'string' ? [raw.inbound] : raw.inbound;
      const parsed = parseAgentOptions({ ...raw, inbound });
      if (!parsed.ok) {
        for (const e of parsed.errors) process.stderr.write(`--${e.path}: ${e.message}\n`);
        process.exitCode = 2;
        return;
      }
      await onRun(parsed.value);
    });
}
