/**
 * google.protobuf well-known types in the protobufjs object form Mizzen uses
 * (64-bit integers as numbers, wrappers as { value }, Any as its JSON form).
 */

/** google.protobuf.Duration. */
export interface Duration {
  seconds: number;
  nanos?: number;
}

/** google.protobuf.UInt32Value (and the other numeric wrappers). */
export interface UInt32Value {
  value: number;
}

/** google.protobuf.UInt64Value; 64-bit as number (exact up to 2^53). */
export interface UInt64Value {
  value: number;
}

/** google.protobuf.BoolValue. */
export interface BoolValue {
  value: boolean;
}

/** google.protobuf.DoubleValue. */
export interface DoubleValue {
  value: number;
}

/**
 * google.protobuf.Any in protobufjs's JSON form: the type URL under '@type' beside the fields of
 * the packed message. An Any of a type the codec has not loaded decodes as { '@type', '@value':
 * base64 } and that shape encodes back verbatim.
 */
export interface Any {
  '@type': string;
  [field: string]: unknown;
}

/** An Any whose type URL and body are known statically. */
export type TypedAny<U extends string, B> = { '@type': U } & B;

/**
 * google.protobuf.Struct as plain JSON: the codec converts to and from Struct at the wire.
 */
export type JsonObject = Record<string, unknown>;

/** Packs a typed body as an Any (pure: just adds '@type'). */
export function toAny<U extends string, B extends object>(typeUrl: U, body: B): TypedAny<U, B> & Any {
  return { ...body, '@type': typeUrl } as TypedAny<U, B> & Any;
}

/** google.rpc.Status. */
export interface Status {
  code: number;
  message: string;
  details?: Any[];
}
