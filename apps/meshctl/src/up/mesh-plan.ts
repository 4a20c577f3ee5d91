import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { formatPath } from '@mizzen/contracts';

/** `samples/<app>/workloads.yaml`: the workloads `meshctl up` starts, each behind a sidecar. */
const workloadsFile = z.object({
  namespace: z.string().default('default'),
  workloads: z.array(
    z.object({
      name: z.string().min(1),
      service: z.string().min(1),
      serviceAccount: z.string().default('default'),
      labels: z.record(z.string(), z.string()).default({}),
      ports: z.array(z.object({ name: z.string(), port: z.number().int().min(1).max(65535) })).min(1),
      entry: z.string().min(1),
      env: z.record(z.string(), z.string()).default({}),
      /** `region/zone/subzone`, for locality load balancing (Istio: the node's topology labels). */
      /** Kubernetes-style readiness probe, rewritten to the sidecar agent's /app-health (Istio's probe rewrite). */
      readinessProbe: z.strictObject({ httpGet: z.strictObject({ path: z.string().startsWith('/'), port: z.number().int().min(1).max(65535) }) }).optional(),
      locality: z.string().regex(/^[^/]*(\/[^/]*){0,2}$/, 'region/zone/subzone').optional(),
    }).strict(),
  ),
}).strict();
export type WorkloadsFile = z.infer<typeof workloadsFile>;

export function parseWorkloadsFile(text: string, file: string): WorkloadsFile {
  const r = workloadsFile.safeParse(parseYaml(text));
  if (!r.success) throw new Error(`${file}: ${r.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** One workload as started locally: its own loopback address, sidecar in front, app behind. */
export interface PlannedWorkload {
  name: string;
  namespace: string;
  service: string;
  serviceAccount: string;
  labels: Record<string, string>;
  /** The workload's own loopback address: sidecar listeners and the app bind here. */
  ip: string;
  /** Service port -> the port the application listens on (service port + 10000). */
  ports: Array<{ name: string; port: number; appPort: number }>;
  entry: string;
  env: Record<string, string>;
  locality?: string;
  readinessProbe?: { httpGet: { path: string; port: number } };
}

/**
 * Assigns each workload `<ipBlock>.<n>` (default `127.1.0.<n>`, n from 1), so every sidecar can use the standard ports
 * (15001 outbound, 15000 admin) and every app its real port without clashing and without root.
 * The app listens on the same address at port + 10000; the sidecar's inbound listener takes the
 * service port.
 */
export function planWorkloads(file: WorkloadsFile, ipBlock = '127.1.0', firstHost = 1): PlannedWorkload[] {
  return file.workloads.map((w, i) => ({
    name: w.name,
    namespace: file.namespace,
    service: w.service,
    serviceAccount: w.serviceAccount,
    labels: w.labels,
    ip: `${ipBlock}.${firstHost + i}`,
    ports: w.ports.map((p) => ({ name: p.name, port: p.port, appPort: p.port + 10000 <= 65535 ? p.port + 10000 : p.port - 1000 })),
    entry: w.entry,
    env: w.env,
    ...(w.locality ? { locality: w.locality } : {}),
    ...(w.readinessProbe ? { readinessProbe: w.readinessProbe } : {}),
  }));
}
