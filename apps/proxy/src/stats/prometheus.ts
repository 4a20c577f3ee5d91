import { Counter, type StatEntry, type StatsStore } from './stats';

/** The tag a scope name becomes, as Envoy's default tag extractors name them. */
const SCOPE_TAG: Record<StatEntry['kind'], string | undefined> = {
  root: undefined,
  cluster: 'envoy_cluster_name',
  listener: 'envoy_listener_address',
  http: 'envoy_http_conn_manager_prefix',
  tcp: 'envoy_tcp_prefix',
};

interface Sample {
  name: string;
  labels: Array<[string, string]>;
  value: number;
  type: 'counter' | 'gauge';
}

/**
 * Envoy's response-code extractors: `upstream_rq_200` -> `upstream_rq{envoy_response_code="200"}`,
 * `upstream_rq_2xx` -> `upstream_rq_xx{envoy_response_code_class="2"}`.
 */
function extractCode(stat: string): { stat: string; label?: [string, string] } {
  const exact = /^(.*_rq)_(\d{3})$/.exec(stat);
  if (exact) return { stat: exact[1], label: ['envoy_response_code', exact[2]] };
  const cls = /^(.*_rq)_(\d)xx$/.exec(stat);
  if (cls) return { stat: `${cls[1]}_xx`, label: ['envoy_response_code_class', cls[2]] };
  return { stat };
}

function sanitize(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function toSample(e: StatEntry): Sample {
  const { stat, label } = extractCode(e.stat);
  const prefix = e.kind === 'root' ? 'envoy' : `envoy_${e.kind}`;
  const labels: Array<[string, string]> = [];
  if (label) labels.push(label);
  const tag = SCOPE_TAG[e.kind];
  if (tag) labels.push([tag, e.scopeName]);
  const type = e.metric instanceof Counter ? 'counter' : 'gauge';
  return { name: sanitize(`${prefix}_${stat}`), labels, value: e.metric.value, type };
}

/** `/stats/prometheus`: the text exposition format, one `# TYPE` line per metric family. */
export function formatPrometheus(store: StatsStore): string {
  const families = new Map<string, Sample[]>();
  for (const e of store.entries()) {
    const s = toSample(e);
    const list = families.get(s.name);
    if (list) list.push(s);
    else families.set(s.name, [s]);
  }
  const out: string[] = [];
  for (const name of [...families.keys()].sort()) {
    const samples = families.get(name) ?? [];
    out.push(`# TYPE ${name} ${samples[0].type}`);
    for (const s of samples) {
      const labels = s.labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',');
      out.push(`${name}${labels ? `{${labels}}` : ''} ${s.value}`);
    }
  }
  return out.join('\n') + '\n';
}
