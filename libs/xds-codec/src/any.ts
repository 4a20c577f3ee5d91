import { anyFromWire, encodeMessage, readAny, XdsCodecError } from './convert';
import { requireType } from './proto-root';
import { LenFieldWriter } from './wire';

/**
 * Encodes a google.protobuf.Any message (type_url = 1, value = 2) holding `body` as the message
 * named by `typeUrl`. `body` is in protobufjs object form (camelCase fields, enums by name,
 * Duration as { seconds, nanos }, Struct as plain JSON); nested Anys (typedConfig, ...) are given
 * as { '@type': url, ...fields }.
 * Throws XdsCodecError for an unknown type URL (anywhere in the tree), an unknown field or enum
 * name, or two members of one oneof.
 */
export function encodeAny(typeUrl: string, body: object): Buffer {
  return wrapAny(typeUrl, encodeMessage(typeUrl, body));
}

/**
 * Encodes a google.protobuf.Any like {@link encodeAny}, with one repeated message field given as
 * already encoded elements (`body` must not hold that field): the rest of `body` is encoded, then
 * each element is appended as that field. Parsers merge a message's fields in whatever order they
 * arrive and append repeated elements in order, so this is the same message as encoding the whole
 * body (https://protobuf.dev/programming-guides/encoding/#order). Pilot uses it to re-encode a
 * 1000-host RouteConfiguration from per-VirtualHost cached bytes.
 */
export function encodeAnyWithEncodedElements(typeUrl: string, body: object, field: string, elements: readonly Uint8Array[]): Buffer {
  const f = requireType(typeUrl).fields[field];
  if (!f || !f.repeated || !f.resolvedType || !('fields' in f.resolvedType)) throw new XdsCodecError(`${field} is not a repeated message field of ${typeUrl}`, field);
  if (field in body) throw new XdsCodecError(`${field} is given both in the body and as encoded elements`, field);
  const w = new LenFieldWriter().raw(encodeMessage(typeUrl, body));
  for (const e of elements) w.message(f.id, e);
  return new LenFieldWriter().string(1, typeUrl).bytes(2, w.finish()).finish();
}

/** Decodes `value` as the message named by `typeUrl`; nested Anys become { '@type', ...fields }. */
export function decodeAnyValue(typeUrl: string, value: Uint8Array): Record<string, unknown> {
  requireType(typeUrl);
  const { ['@type']: _t, ...body } = anyFromWire(typeUrl, value);
  return body;
}

/**
 * Decodes an encoded google.protobuf.Any message; `encoded` is its value (a view into `bytes`).
 * Throws if its type is not loaded.
 */
export function decodeAny(bytes: Buffer | Uint8Array): { typeUrl: string; body: Record<string, unknown>; encoded: Uint8Array } {
  const any = readAny(requireType('google.protobuf.Any').decode(bytes));
  if (!any.typeUrl) throw new XdsCodecError('Any without type_url', '');
  return { typeUrl: any.typeUrl, body: decodeAnyValue(any.typeUrl, any.value), encoded: any.value };
}

/** A google.protobuf.Any holding an already encoded message (`value`) of type `typeUrl`. */
export function wrapAny(typeUrl: string, value: Uint8Array): Buffer {
  return new LenFieldWriter().string(1, typeUrl).bytes(2, value).finish();
}
