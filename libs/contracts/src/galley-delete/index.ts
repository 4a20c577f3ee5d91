import { z } from 'zod';
import { type RequestContract, zodParser } from '../contract';
import { applyReply, type ApplyReply } from '../galley-apply';
import { resourceRef } from '../schemas';

/**
 * `mizzen.galley.delete.v1`: delete the resources named by YAML documents or by refs.
 * Outcomes are `deleted` or `not-found` per resource.
 */
export const deleteRequest = z.object({
  documents: z.string().optional(),
  refs: z.array(resourceRef).optional(),
  defaultNamespace: z.string().default('default'),
});

export const GalleyDelete: RequestContract<z.infer<typeof deleteRequest>, ApplyReply> = {
  kind: 'request',
  subject: 'mizzen.galley.delete.v1',
  queue: 'galley',
  request: zodParser(deleteRequest),
  reply: zodParser(applyReply),
};
