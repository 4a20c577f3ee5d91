import type { TrustBundle } from '@mizzen/contracts';
import type { Command } from 'commander';
import { withMeshClient } from '../client/mesh-client';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const UNIT_S: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 };

/** `30s`, `1m`, `48h` -> seconds; throws naming the flag. */
export function parseSeconds(flag: string, text: string, allowZero: boolean): number {
  const m = DURATION.exec(text.trim());
  const s = m ? Number(m[1]) * UNIT_S[m[2]] : text.trim() === '0' ? 0 : NaN;
  if (!Number.isFinite(s) || s < 0 || (!allowZero && s === 0)) throw new Error(`${flag}: "${text}" is not a ${allowZero ? '' : 'positive '}duration (like 30s, 5m, 48h)`);
  return s;
}

/** The trust bundle as a table: one root per line with its state and when that state ends. */
export function formatBundle(b: TrustBundle): string[] {
  const rows = [['SHA256', 'STATE', 'SINCE/UNTIL', 'EXPIRES'], ...b.roots.map((r) => [r.sha256.slice(0, 16), r.state.toUpperCase(), r.activateAt ? `signs from ${r.activateAt}` : r.retireAt ? `trusted until ${r.retireAt}` : '', r.notAfter])];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return [`trust domain ${b.trustDomain}, updated ${b.updatedAt}`, ...rows.map((r) => r.map((v, c) => v.padEnd(widths[c])).join('   ').trimEnd())];
}

/** `meshctl ca roots` and `meshctl ca rotate-root`: the mesh CA's trust bundle and its rotation. */
export function registerCa(program: Command): void {
  const ca = program.command('ca').description("the mesh CA (Citadel): its trust bundle and root rotation");
  ca.command('roots')
    .description('show the trust bundle every proxy receives: active, pending and retiring roots')
    .option('--nats <url>', 'NATS URL')
    .action(async (o: { nats?: string }) => {
      const b = await withMeshClient(o.nats, (c) => c.trustBundle());
      if (!b) {
        console.error('error: no trust bundle published (is Citadel running?)');
        process.exitCode = 1;
        return;
      }
      for (const l of formatBundle(b)) console.log(l);
    });
  ca.command('rotate-root')
    .description('rotate the self-signed root: the new root is trusted everywhere first, signs after the activation delay; the old one retires after the grace period')
    .option('--activation-delay <duration>', "how long the new root is only trusted before it signs (default: Citadel's --root-activation-delay)")
    .option('--grace-period <duration>', "how long the old root stays trusted once the new one signs (default: Citadel's --root-grace-period)")
    .option('--nats <url>', 'NATS URL')
    .action(async (o: { activationDelay?: string; gracePeriod?: string; nats?: string }) => {
      const activationDelaySeconds = o.activationDelay === undefined ? undefined : parseSeconds('--activation-delay', o.activationDelay, true);
      const gracePeriodSeconds = o.gracePeriod === undefined ? undefined : parseSeconds('--grace-period', o.gracePeriod, false);
      const b = await withMeshClient(o.nats, (c) => c.rotateRoot({ activationDelaySeconds, gracePeriodSeconds }));
      for (const l of formatBundle(b)) console.log(l);
    });
}
