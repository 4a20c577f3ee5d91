/**
 * Cached reflection over protobufjs types for the walkers in to-wire.ts / from-wire.ts.
 * protobufjs computes `fullName` by walking parents and joining strings on every access; doing
 * that per field dominated encode time, so everything the walkers need is computed once per Type.
 */
import * as protobuf from 'protobufjs';

export const ANY = '.google.protobuf.Any';
export const STRUCT = '.google.protobuf.Struct';
export const VALUE = '.google.protobuf.Value';
export const LIST_VALUE = '.google.protobuf.ListValue';

export type JsonWkt = typeof STRUCT | typeof VALUE | typeof LIST_VALUE;
/** How the walkers treat a message type. */
export type Kind = typeof ANY | JsonWkt | 'message';

const kinds = new WeakMap<protobuf.Type, Kind>();

export function kindOf(type: protobuf.Type): Kind {
  let k = kinds.get(type);
  if (k === undefined) {
    const name = type.fullName;
    k = name === ANY || name === STRUCT || name === VALUE || name === LIST_VALUE ? name : 'message';
    kinds.set(type, k);
  }
  return k;
}

export function isJsonWkt(k: Kind): k is JsonWkt {
  return k === STRUCT || k === VALUE || k === LIST_VALUE;
}

export interface FieldInfo {
  name: string;
  repeated: boolean;
  map: boolean;
  /** Name of the oneof the field belongs to. */
  oneof: string | undefined;
  /** Message type (with its kind), enum, or neither for scalars. */
  message: protobuf.Type | undefined;
  kind: Kind | undefined;
  enumType: protobuf.Enum | undefined;
  /** Proto type name, for messages. */
  protoType: string;
}

const tables = new WeakMap<protobuf.Type, Map<string, FieldInfo>>();

/** Field name -> FieldInfo for a message type. */
export function fieldTable(type: protobuf.Type): Map<string, FieldInfo> {
  let t = tables.get(type);
  if (!t) {
    t = new Map();
    for (const f of type.fieldsArray) {
      f.resolve();
      const rt = f.resolvedType;
      const message = rt instanceof protobuf.Type ? rt : undefined;
      t.set(f.name, {
        name: f.name,
        repeated: f.repeated,
        map: f.map,
        oneof: f.partOf?.name,
        message,
        kind: message ? kindOf(message) : undefined,
        enumType: rt instanceof protobuf.Enum ? rt : undefined,
        protoType: f.type,
      });
    }
    tables.set(type, t);
  }
  return t;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/**
 * google.protobuf.Any's fields are `type_url` / `value` in protobufjs's bundled well-known types
 * (they are not re-cased by keepCase:false), unlike every Envoy message. Read the names from the
 * loaded type rather than assume them.
 */
export function anyFieldNames(anyType: protobuf.Type): { typeUrl: string; value: string } {
  return { typeUrl: anyType.fieldsById[1].name, value: anyType.fieldsById[2].name };
}

export function bytesOf(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return Buffer.from(v, 'base64');
  return new Uint8Array(0);
}

/** { typeUrl, value } of an Any message instance or toObject output (either field casing). */
export function readAny(a: unknown): { typeUrl: string; value: Uint8Array } {
  if (!isRecord(a)) return { typeUrl: '', value: new Uint8Array(0) };
  const typeUrl = a['type_url'] ?? a['typeUrl'];
  return { typeUrl: typeof typeUrl === 'string' ? typeUrl : '', value: bytesOf(a['value']) };
}

export class XdsCodecError extends Error {
  constructor(
    message: string,
    /** Field path of the offending value, e.g. `filterChains[0].filters[0].typedConfig`. */
    readonly path: string,
  ) {
    super(path ? `${message} (at ${path})` : message);
    this.name = 'XdsCodecError';
  }
}

/**
 * The field path being walked, as a mutable stack so the hot path allocates no strings; it is
 * rendered only when an error is thrown. Numbers are array indices; strings starting with '[' or
 * '<' (map keys, Any bodies) attach without a dot.
 */
export class FieldPath {
  private readonly segs: Array<string | number> = [];

  push(seg: string | number): void {
    this.segs.push(seg);
  }

  pop(): void {
    this.segs.pop();
  }

  toString(): string {
    let out = '';
    for (const s of this.segs) {
      if (typeof s === 'number') out += `[${s}]`;
      else if (out === '' || s.startsWith('[')) out += s;
      else out += `.${s}`;
    }
    return out;
  }

  error(message: string): XdsCodecError {
    return new XdsCodecError(message, this.toString());
  }
}
