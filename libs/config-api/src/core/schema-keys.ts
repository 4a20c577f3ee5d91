import { z } from 'zod';

/**
 * The field names an object schema accepts at `path` (zod issue path segments), used to suggest a
 * correction for an unknown field. Walks through optional/array/record/pipe wrappers; returns []
 * where the schema is not an object.
 */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: z.ZodType | undefined = unwrap(schema);
  for (const seg of path) {
    if (!node) return [];
    node = unwrap(child(node, seg));
  }
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

function child(node: z.ZodType, seg: PropertyKey): z.ZodType | undefined {
  if (node instanceof z.ZodObject) return (node.shape as Record<string, z.ZodType>)[String(seg)];
  if (node instanceof z.ZodArray) return node.element as z.ZodType;
  if (node instanceof z.ZodRecord) return node.valueType as z.ZodType;
  return undefined;
}

function unwrap(node: z.ZodType | undefined): z.ZodType | undefined {
  let cur = node;
  for (let i = 0; i < 10 && cur; i++) {
    if (cur instanceof z.ZodOptional || cur instanceof z.ZodNullable || cur instanceof z.ZodDefault) cur = cur.unwrap() as z.ZodType;
    else if (cur instanceof z.ZodPipe) cur = cur.out instanceof z.ZodTransform ? (cur.in as z.ZodType) : (cur.out as z.ZodType);
    else break;
  }
  return cur;
}
