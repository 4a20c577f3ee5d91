import { z } from 'zod';
import { type RequestContract, zodParser } from '../contract';
import { secretName, secretNamespace, secretSummary } from '../kv/secret-bucket';
import { fieldError } from '../schemas';

/**
 * `mizzen.galley.secret.apply.v1`: create or replace a credential (`meshctl create secret`).
 * `tls` takes `tls.crt` and `tls.key` (and `ca.crt`); `generic` takes Istio's keys, `tls.crt`/
 * `tls.key`/`ca.crt` or `cert`/`key`/`cacert`. Galley checks the PEM, that the key matches the
 * certificate, and answers with field paths (`data["tls.key"]`); the reply never echoes material.
 */
export const secretApplyRequest = z.object({
  name: secretName,
  namespace: secretNamespace.default('default'),
  type: z.enum(['tls', 'generic']),
  /** Data key -> PEM text. */
  data: z.record(z.string(), z.string()),
  dryRun: z.boolean().default(false),
  source: z.string().default('api'),
});
export type SecretApplyRequest = z.input<typeof secretApplyRequest>;

export const secretApplyReply = z.object({
  accepted: z.boolean(),
  outcome: z.enum(['created', 'configured', 'unchanged', 'invalid']),
  namespace: z.string(),
  name: z.string(),
  /** KV revision after the write. */
  revision: z.number().int().optional(),
  summary: secretSummary.optional(),
  errors: z.array(fieldError).default([]),
});
export type SecretApplyReply = z.infer<typeof secretApplyReply>;

export const GalleySecretApply: RequestContract<z.infer<typeof secretApplyRequest>, SecretApplyReply> = {
  kind: 'request',
  subject: 'mizzen.galley.secret.apply.v1',
  queue: 'galley',
  request: zodParser(secretApplyRequest),
  reply: zodParser(secretApplyReply),
};

/** `mizzen.galley.secret.delete.v1`: delete one credential (`meshctl delete secret`). */
export const secretDeleteRequest = z.object({ name: secretName, namespace: secretNamespace.default('default') });
export type SecretDeleteRequest = z.input<typeof secretDeleteRequest>;

export const secretDeleteReply = z.object({ outcome: z.enum(['deleted', 'not-found']), namespace: z.string(), name: z.string() });
export type SecretDeleteReply = z.infer<typeof secretDeleteReply>;

export const GalleySecretDelete: RequestContract<z.infer<typeof secretDeleteRequest>, SecretDeleteReply> = {
  kind: 'request',
  subject: 'mizzen.galley.secret.delete.v1',
  queue: 'galley',
  request: zodParser(secretDeleteRequest),
  reply: zodParser(secretDeleteReply),
};
