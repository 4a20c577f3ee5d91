import { z } from 'zod';

/** Shared zod schemas for mesh-model records carried over NATS. */
export const fieldError = z.object({ path: z.string(), message: z.string() });

export const labels = z.record(z.string(), z.string());

export const recordSource = z.object({
  kind: z.enum(['ServiceEntry', 'WorkloadEntry', 'Registration', 'Kubernetes']),
  namespace: z.string(),
  name: z.string(),
});

export const protocol = z.enum(['HTTP', 'HTTP2', 'GRPC', 'HTTPS', 'TLS', 'TCP', 'MONGO', 'REDIS', 'MYSQL', 'UNKNOWN']);

export const servicePort = z.object({
  name: z.string(),
  number: z.number().int().min(1).max(65535),
  protocol,
  targetPort: z.number().int().min(1).max(65535).optional(),
});

export const inlineEndpoint = z.object({
  address: z.string().min(1),
  ports: z.record(z.string(), z.number().int()).optional(),
  labels: labels.optional(),
  locality: z.string().optional(),
  network: z.string().optional(),
  weight: z.number().int().optional(),
  serviceAccount: z.string().optional(),
});

export const service = z.object({
  hostname: z.string().min(1),
  namespace: z.string().min(1),
  ports: z.array(servicePort),
  resolution: z.enum(['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN']),
  location: z.enum(['MESH_INTERNAL', 'MESH_EXTERNAL']),
  selector: labels.optional(),
  endpoints: z.array(inlineEndpoint).optional(),
  addresses: z.array(z.string()).optional(),
  subjectAltNames: z.array(z.string().min(1)).optional(),
  exportTo: z.array(z.string()).optional(),
  source: recordSource,
});

export const workload = z.object({
  name: z.string().min(1),
  namespace: z.string().min(1),
  address: z.string().min(1),
  ports: z.record(z.string(), z.number().int()).optional(),
  labels,
  serviceAccount: z.string(),
  locality: z.string().optional(),
  network: z.string().optional(),
  weight: z.number().int().optional(),
  source: recordSource,
});

/** A config resource as stored in KV (Kubernetes-style object; spec validated by config-api). */
export const storedConfig = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.object({
    name: z.string(),
    namespace: z.string(),
    labels: labels.optional(),
    annotations: labels.optional(),
    generation: z.number().int().optional(),
    creationTimestamp: z.string().optional(),
  }),
  spec: z.record(z.string(), z.unknown()),
  /** Which source wrote it: `api` (meshctl/NATS) or `file:<path>` (watched directory). */
  source: z.string(),
});
export type StoredConfig = z.infer<typeof storedConfig>;

export const resourceRef = z.object({ kind: z.string(), namespace: z.string(), name: z.string() });
export type ResourceRef = z.infer<typeof resourceRef>;
