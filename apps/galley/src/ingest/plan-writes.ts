import { ConfigBucket, type ResourceRef, type StoredConfig } from '@mizzen/contracts';
import type { FieldError } from '@mizzen/mesh-model';
import { sameJson } from '../platform/stable-json';
import { mayWrite, ownershipMessage } from './ownership';
import type { ValidResource } from './validate-documents';

/** A stored resource and its KV revision. */
export interface CurrentConfig {
  value: StoredConfig;
  revision: number;
}

export type PlannedWrite =
  | { action: 'create'; key: string; ref: ResourceRef; value: StoredConfig; outcome: 'created' }
  | { action: 'update'; key: string; ref: ResourceRef; value: StoredConfig; expectedRevision: number; outcome: 'configured' }
  | { action: 'none'; key: string; ref: ResourceRef; revision: number; outcome: 'unchanged' }
  | { action: 'conflict'; key: string; ref: ResourceRef; owner: string; error: FieldError };

/**
 * What writing `res` from `source` would do, given what is stored. `metadata.generation` starts
 * at 1 and moves only when the spec changes (as Kubernetes does); a change of labels,
 * annotations, apiVersion or source alone is `configured` with the same generation.
 * `creationTimestamp` is kept from the stored resource. `now` is an ISO timestamp.
 */
export function planWrite(res: ValidResource, current: CurrentConfig | undefined, source: string, now: string): PlannedWrite {
  const key = ConfigBucket.key(res.ref.kind, res.ref.namespace, res.ref.name);
  const { config } = res;
  if (!current) {
    return { action: 'create', key, ref: res.ref, outcome: 'created', value: toStored(config, source, 1, now) };
  }
  const owner = current.value.source;
  if (!mayWrite(owner, source)) {
    return { action: 'conflict', key, ref: res.ref, owner, error: { path: 'metadata', message: ownershipMessage(owner, source) } };
  }
  const old = current.value;
  const specChanged = !sameJson(old.spec, config.spec);
  const generation = (old.metadata.generation ?? 1) + (specChanged ? 1 : 0);
  const value = toStored(config, source, generation, old.metadata.creationTimestamp ?? now);
  if (sameJson(old, value)) return { action: 'none', key, ref: res.ref, outcome: 'unchanged', revision: current.revision };
  return { action: 'update', key, ref: res.ref, outcome: 'configured', value, expectedRevision: current.revision };
}

function toStored(config: ValidResource['config'], source: string, generation: number, creationTimestamp: string): StoredConfig {
  return {
    apiVersion: config.apiVersion,
    kind: config.kind,
    metadata: { ...config.metadata, generation, creationTimestamp },
    spec: config.spec,
    source,
  };
}

export type PlannedDelete =
  | { action: 'delete'; key: string; ref: ResourceRef; expectedRevision: number; outcome: 'deleted' }
  | { action: 'none'; key: string; ref: ResourceRef; outcome: 'not-found' }
  | { action: 'conflict'; key: string; ref: ResourceRef; owner: string; error: FieldError };

/** What deleting `ref` on behalf of `source` would do (same ownership rules as writes). */
export function planDelete(ref: ResourceRef, current: CurrentConfig | undefined, source: string): PlannedDelete {
  const key = ConfigBucket.key(ref.kind, ref.namespace, ref.name);
  if (!current) return { action: 'none', key, ref, outcome: 'not-found' };
  const owner = current.value.source;
  if (!mayWrite(owner, source)) return { action: 'conflict', key, ref, owner, error: { path: 'metadata', message: ownershipMessage(owner, source) } };
  return { action: 'delete', key, ref, expectedRevision: current.revision, outcome: 'deleted' };
}
