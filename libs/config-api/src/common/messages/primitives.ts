import { z } from 'zod';
import { parseDuration } from '../duration';

/**
 * Schemas for protobuf scalar types as they appear in Istio YAML. Integer widths follow the
 * protos (int32/uint32); range and sign rules that Istio reports with its own wording are left to
 * the semantic checks so that messages match the webhook's.
 */
export const int32 = z.number().int().min(-2147483648).max(2147483647);
export const uint32 = z.number().int().min(0).max(4294967295);
export const double = z.number();

/** A `google.protobuf.Duration` string (`"5s"`, `"100ms"`); the ≥1ms rule is a semantic check. */
export const duration = z.string().refine((s) => parseDuration(s) !== undefined, {
  message: 'invalid duration (use e.g. "1s", "100ms", "1.5s", "1m", "1h")',
});

/** `bytes` fields: base64 text. */
export const base64 = z.string().regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'must be base64-encoded');

export const stringList = z.array(z.string());
export const stringMap = z.record(z.string(), z.string());
