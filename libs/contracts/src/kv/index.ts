import { z } from 'zod';
import { zodParser } from '../contract';
import { service, storedConfig, workload } from '../schemas';

/**
 * KV buckets. Keys use `/` inside one subject token so names with dots stay intact.
 * - config:   `<Kind>/<namespace>/<name>` -> {@link storedConfig}
 * - registry: `service/<namespace>/<hostname>` -> service; `workload/<namespace>/<name>` -> workload
 *
 * KV keys are NATS subject tokens and may not contain `*`, yet ServiceEntry hosts may be wildcards
 * (`*.example.com`): the key spells `*` as `_` (never valid in a DNS name). Records keep the real
 * hostname, so readers never parse hosts out of keys.
 */
export const ConfigBucket = {
  name: 'mizzen-config',
  history: 5,
  key: (kind: string, namespace: string, name: string) => `${kind}/${namespace}/${name}`,
  parseKey(key: string): { kind: string; namespace: string; name: string } | undefined {
    const [kind, namespace, ...rest] = key.split('/');
    if (!kind || !namespace || rest.length === 0) return undefined;
    return { kind, namespace, name: rest.join('/') };
  },
  value: zodParser(storedConfig),
} as const;

export const RegistryBucket = {
  name: 'mizzen-registry',
  history: 3,
  serviceKey: (namespace: string, hostname: string) => `service/${namespace}/${hostname.replace(/\*/g, '_')}`,
  workloadKey: (namespace: string, name: string) => `workload/${namespace}/${name}`,
  parseKey(key: string): { type: 'service' | 'workload'; namespace: string; name: string } | undefined {
    const [type, namespace, ...rest] = key.split('/');
    if ((type !== 'service' && type !== 'workload') || !namespace || rest.length === 0) return undefined;
    return { type, namespace, name: rest.join('/') };
  },
  service: zodParser(service),
  workload: zodParser(workload),
} as const;

export const registryRecord = z.union([service, workload]);

export * from './secret-bucket';
