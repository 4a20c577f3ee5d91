import type { Command } from 'commander';
import { DEFAULT_STATE_DIR, readStateFile } from '../up/mesh-state-file';

interface ProxyStatus {
  id: string;
  type: string;
  namespace: string;
  workload: string;
  types: Record<string, { sent?: string; acked?: string; nacked?: string; synced?: boolean; lastNackError?: string }>;
}

/** `meshctl proxy-status`: like `istioctl proxy-status`, from Pilot's /debug/syncz. */
export function registerProxyStatus(program: Command): void {
  program
    .command('proxy-status')
    .description('connected proxies and whether each has ACKed the latest config per xDS type')
    .option('--pilot <url>', 'Pilot debug URL (default: the local mesh)')
    .action(async (o: { pilot?: string }) => {
      const base = o.pilot ?? process.env.MIZZEN_PILOT_DEBUG ?? readStateFile(DEFAULT_STATE_DIR)?.pilotDebug ?? 'http://127.0.0.1:15014';
      const res = await fetch(`${base}/debug/syncz`).catch((e: Error) => {
        throw new Error(`cannot reach Pilot at ${base}: ${e.message}`);
      });
      const list = (await res.json()) as ProxyStatus[];
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
