import { z } from 'zod';
import type { ShapeOf } from '../../core/schema-shape';

/**
 * Istio `StringMatch`: at most one of `exact`, `prefix` (case-sensitive) or `regex` (RE2). An empty
 * match is legal and, for headers, means "present".
 * https://istio.io/latest/docs/reference/config/networking/virtual-service/#StringMatch
 */
export interface StringMatch {
  exact?: string;
  prefix?: string;
  regex?: string;
}

export const stringMatchSchema: z.ZodType<StringMatch> = z
  .strictObject({
    exact: z.string().optional(),
    prefix: z.string().optional(),
    regex: z.string().optional(),
  } satisfies ShapeOf<StringMatch>)
  .refine((m) => [m.exact, m.prefix, m.regex].filter((v) => v !== undefined).length <= 1, {
    message: 'only one of exact, prefix or regex may be set',
  });
