import type { Command } from 'commander';
import { adminGet, connectedProxies, findProxy, pilotDebugUrl } from '../proxies/proxy-directory';
import { clusterTable, endpointTable, formatTable, listenerTable, routeTable, secretTable, type Table } from '../proxies/proxy-config-tables';

type Json = Record<string, unknown>;

/** What each `proxy-config` view reads from the admin interface and how it tabulates it. */
const VIEWS: Record<string, { path: string; table: (j: Json) => Table; about: string }> = {
  cluster: { path: '/config_dump', table: clusterTable, about: 'clusters (CDS)' },
  listener: { path: '/config_dump', table: listenerTable, about: 'listeners and their filter chains (LDS)' },
  route: { path: '/config_dump', table: routeTable, about: 'routes per route configuration and virtual host (RDS)' },
  endpoint: { path: '/clusters?format=json', table: endpointTable, about: 'endpoints with health and outlier status (EDS)' },
  secret: { path: '/certs', table: secretTable, about: 'the workload certificate and trust bundle (SDS)' },
};

/** `meshctl proxy-config <view> <proxy>`: like `istioctl proxy-config`, from the proxy's admin interface. */
export function registerProxyConfig(program: Command): void {
  const pc = program.command('proxy-config').alias('pc').description("a proxy's live config, as istioctl proxy-config shows it");
  for (const [view, v] of Object.entries(VIEWS)) {
    pc.command(view)
      .description(v.about)
      .argument('<proxy>', 'workload name, workload.namespace, node id or IP of a connected proxy')
      .option('-o, --output <format>', 'table or json', 'table')
      .option('--pilot <url>', 'Pilot debug URL (default: the local mesh)')
      .action(async (ref: string, o: { output: string; pilot?: string }) => {
        const proxy = findProxy(await connectedProxies(pilotDebugUrl(o.pilot)), ref);
        const body = await adminGet(proxy, v.path);
        if (o.output === 'json') process.stdout.write(body);
        else console.log(formatTable(v.table(JSON.parse(body) as Json)));
      });
  }
}
