import { z } from 'zod';
import { type RequestContract, zodParser } from '../contract';
import { fieldError, resourceRef } from '../schemas';

/**
 * `mizzen.galley.apply.v1`: apply multi-document YAML (or JSON). All-or-nothing: if any resource is
 * invalid, nothing is written and `accepted` is false; every resource's outcome is listed.
 */
export const applyRequest = z.object({
  /** Multi-document YAML or JSON text. */
  documents: z.string(),
  /** Who applies: `api` for meshctl; recorded with each resource. */
  source: z.string().default('api'),
  /** Namespace for resources that name none. */
  defaultNamespace: z.string().default('default'),
  dryRun: z.boolean().default(false),
});
export type ApplyRequest = z.input<typeof applyRequest>;

export const resourceOutcome = resourceRef.extend({
  outcome: z.enum(['created', 'configured', 'unchanged', 'invalid', 'deleted', 'not-found']),
  /** KV revision after the write. */
  revision: z.number().int().optional(),
  errors: z.array(fieldError).optional(),
  warnings: z.array(fieldError).optional(),
});
export type ResourceOutcome = z.infer<typeof resourceOutcome>;

export const applyReply = z.object({
  accepted: z.boolean(),
  results: z.array(resourceOutcome),
  /** Errors not tied to one resource (YAML syntax, a document without kind). */
  errors: z.array(fieldError).default([]),
});
export type ApplyReply = z.infer<typeof applyReply>;

export const GalleyApply: RequestContract<z.infer<typeof applyRequest>, ApplyReply> = {
  kind: 'request',
  subject: 'mizzen.galley.apply.v1',
  queue: 'galley',
  request: zodParser(applyRequest),
  reply: zodParser(applyReply),
};
