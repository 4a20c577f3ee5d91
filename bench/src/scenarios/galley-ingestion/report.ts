import { overRounds } from '../../common/stats';
import { fmtNum, fmtStat } from '../../report/format';
import { type Headline, type Table, TARGETS, headline } from '../../report/model';
import type { IngestionRaw } from './run';

export function reportIngestion(raw: IngestionRaw): { headlines: Headline[]; tables: Table[] } {
  const ok = raw.rounds.filter((r) => !r.error);
  const stat = (f: (r: IngestionRaw['rounds'][number]) => number) => overRounds(raw.rounds.map((r) => (r.error ? NaN : f(r))));
  const n = raw.rounds[0]?.resources ?? 0;
  const table: Table = {
    title: `Apply of ${n} ServiceEntries in one request (ms from sending it; median over rounds, min–max)`,
    columns: ['rounds ok', 'YAML (KB)', 'accepted (Galley reply)', 'visible in Pilot (/debug/snapshot)', 'visible to a connected proxy (CDS)', 'Galley CPU (s)', 'Pilot CPU (s)'],
    rows: [[`${ok.length}/${raw.rounds.length}`, fmtNum(raw.rounds[0]?.yamlKb ?? NaN, 0), fmtStat(stat((r) => r.acceptedMs), 0), fmtStat(stat((r) => r.visibleInPilotMs), 0), fmtStat(stat((r) => r.visibleToClientMs), 0), fmtStat(stat((r) => r.galleyCpuS)), fmtStat(stat((r) => r.pilotCpuS))]],
  };
  const headlines = [
    // The target is for 1000 resources; a --quick run applies fewer and is shown without it.
    headline('galley.accepted', `Galley: ${n} resources accepted`, 'ms', stat((r) => r.acceptedMs), n >= 1000 ? TARGETS.galleyAccepted : undefined),
    headline('galley.visible', `Galley: ${n} resources visible in Pilot`, 'ms', stat((r) => r.visibleInPilotMs), n >= 1000 ? TARGETS.galleyVisible : undefined),
  ];
  return { headlines, tables: [table] };
}
