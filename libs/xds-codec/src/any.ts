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
  const value = encodeMessage(typeUrl, body);
  return new LenFieldWriter().string(1, typeUrl).bytes(2, value).finish();
}

/** Decodes `value` as the message named by `typeUrl`; nested Anys become { '@type', ...fields }. */
export function decodeAnyValue(typeUrl: string, value: Uint8Array): Record<string, unknown> {
  requireType(typeUrl);
  const { ['@type']: _t, ...body } = anyFromWire(typeUrl, value);
  return body;
}

/** Decodes an encoded google.protobuf.Any message. Throws if its type is not loaded. */
export function decodeAny(bytes: Buffer | Uint8Array): { typeUrl: string; body: Record<string, unknown> } {
  const any = readAny(requireType('google.protobuf.Any').decode(bytes));
  if (!any.typeUrl) throw new XdsCodecError('Any without type_url', '');
  return { typeUrl: any.typeUrl, body: decodeAnyValue(any.typeUrl, any.value) };
}
