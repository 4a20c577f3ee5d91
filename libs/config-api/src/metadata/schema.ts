import { z } from 'zod';
import { stringMap } from '../common/messages/primitives';

/**
 * Kubernetes ObjectMeta as found in manifests and `kubectl get -o yaml` output. Server-populated
 * fields (uid, managedFields, ...) are accepted and dropped; anything else is an unknown field.
 * https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/object-meta/
 */
export const objectMetaSchema = z.strictObject({
  name: z.string().optional(),
  namespace: z.string().optional(),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
  generation: z.number().int().min(0).optional(),
  creationTimestamp: z.string().optional(),
  resourceVersion: z.string().optional(),
  generateName: z.string().optional(),
  uid: z.string().optional(),
  selfLink: z.string().optional(),
  deletionTimestamp: z.string().optional(),
  deletionGracePeriodSeconds: z.number().int().optional(),
  finalizers: z.array(z.string()).optional(),
  ownerReferences: z.array(z.record(z.string(), z.unknown())).optional(),
  managedFields: z.array(z.record(z.string(), z.unknown())).optional(),
});

export type ObjectMeta = z.output<typeof objectMetaSchema>;
