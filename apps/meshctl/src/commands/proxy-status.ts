import type { Command } from 'commander';
import { type ConnectedProxy as ProxyStatus, connectedProxies, pilotDebugUrl } from '../proxies/proxy-directory';

/** `meshctl proxy-status`: like `istioctl proxy-status`, from Pilot's /debug/syncz. */
export function registerProxyStatus(program: Command): void {
  program
    .command('proxy-status')
    .description('connected proxies and whether each has ACKed the latest config per xDS type')
    .option('--pilot <url>', 'Pilot debug URL (default: the local mesh)')
    .action(async (o: { pilot?: string }) => {
      const list = await connectedProxies(pilotDebugUrl(o.pilot));
      const state = (p: ProxyStatus, t: string): string => {
        const s = p.types[t];
        if (!s) return 'NOT SENT';
        if (s.nacked && s.nacked === s.sent) return `NACKED`;
        return s.synced ? 'SYNCED' : 'STALE';
      };
      const rows = [['NAME', 'TYPE', 'CDS', 'LDS', 'EDS', 'RDS', 'VERSION'], ...list.map((p) => [`${p.workload}.${p.namespace}`, p.type, state(p, 'CDS'), state(p, 'LDS'), state(p, 'EDS'), state(p, 'RDS'), p.types.LDS?.acked ?? '-'])];
      const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
      for (const r of rows) console.log(r.map((v, c) => v.padEnd(widths[c])).join('   ').trimEnd());
      for (const p of list) for (const [t, s] of Object.entries(p.types)) if (s.lastNackError) console.log(`${p.workload}: last ${t} NACK: ${s.lastNackError}`);
    });
}
