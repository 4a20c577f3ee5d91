import type { z } from 'zod';

/**
 * A zod object shape naming exactly the keys of `T`. Writing schemas as
 * `z.strictObject({...} satisfies ShapeOf<T>)` makes the compiler reject a schema that misses a field
 * of the hand-written interface or adds one the interface lacks, so types and schemas cannot drift.
 */
export type ShapeOf<T> = { [K in keyof T]-?: z.ZodType<T[K]> };
