/**
 * protobufjs -> plain object: Type.toObject with TO_OBJECT_OPTIONS, then nested Any become
 * { '@type', ...fields } and Struct / Value / ListValue become plain JSON. An Any whose type is
 * not loaded decodes to { '@type': url, '@value': '<base64>' }.
 */
import * as protobuf from 'protobufjs';
import { findType } from './proto-root';
import { ANY, fieldTable, isJsonWkt, isRecord, kindOf, LIST_VALUE, readAny, STRUCT, VALUE } from './reflect';
import { listValueToJson, structToJson, valueToJson } from './struct';

/** toObject options: the protobufjs JSON form, 64-bit ints as numbers, no defaults. */
export const TO_OBJECT_OPTIONS: protobuf.IConversionOptions = {
  enums: String,
  longs: Number,
  defaults: false,
  arrays: true,
  json: true,
};

let needsWalk: WeakMap<protobuf.Type, boolean> | undefined;

/**
 * Which message types can (transitively) contain an Any/Struct/Value/ListValue: only those need a
 * post-toObject walk. Computed once over the whole root as a fixpoint (types can be recursive).
 */
function computeNeedsWalk(root: protobuf.Root): WeakMap<protobuf.Type, boolean> {
  const types: protobuf.Type[] = [];
  const collect = (ns: protobuf.NamespaceBase): void => {
    for (const nested of ns.nestedArray) {
      if (nested instanceof protobuf.Type) types.push(nested);
      if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) collect(nested);
    }
  };
  collect(root);
  const flags = new WeakMap<protobuf.Type, boolean>();
  for (const t of types) flags.set(t, kindOf(t) !== 'message');
  let changed = true;
  while (changed) {
    changed = false;
    for (const t of types) {
      if (flags.get(t)) continue;
      for (const f of t.fieldsArray) {
        const rt = f.resolvedType;
        if (rt instanceof protobuf.Type && flags.get(rt)) {
          flags.set(t, true);
          changed = true;
          break;
        }
      }
    }
  }
  return flags;
}

function walkNeeded(type: protobuf.Type): boolean {
  needsWalk ??= computeNeedsWalk(type.root);
  return needsWalk.get(type) ?? true;
}

/** Decodes the value of an Any; unknown types give { '@type', '@value': base64 }. */
export function anyFromWire(typeUrl: string, value: Uint8Array): Record<string, unknown> {
  const type = findType(typeUrl);
  if (!type) return { '@type': typeUrl, '@value': Buffer.from(value).toString('base64') };
  const body = decodeMessage(type, value);
  return isJsonWkt(kindOf(type)) ? { '@type': typeUrl, value: body } : { '@type': typeUrl, ...body };
}

/** Decodes bytes of `type` to the plain form (Struct as JSON, nested Any as { '@type', ... }). */
export function decodeMessage(type: protobuf.Type, bytes: Uint8Array): Record<string, unknown> {
  const obj = type.toObject(type.decode(bytes), TO_OBJECT_OPTIONS);
  return fromWire(type, obj) as Record<string, unknown>;
}

function valueFromWire(rt: protobuf.Type, v: unknown): unknown {
  const kind = kindOf(rt);
  if (kind === ANY) {
    // With json:true protobufjs's own Any wrapper has already expanded Anys of loaded types into
    // { '@type', ...fields } (its toObject reads `type_url`, which is how its bundled Any is cased);
    // finish the job for their Struct fields. Anys of unknown types are still { type_url, value }.
    if (isRecord(v) && typeof v['@type'] === 'string') {
      const inner = findType(v['@type']);
      if (inner && isJsonWkt(kindOf(inner))) {
        const { ['@type']: typeUrl, ...rest } = v;
        return { '@type': typeUrl, value: valueFromWire(inner, rest) };
      }
      return inner ? fromWire(inner, v) : v;
    }
    const a = readAny(v);
    return anyFromWire(a.typeUrl, a.value);
  }
  if (kind === STRUCT) return structToJson(v);
  if (kind === VALUE) return valueToJson(v);
  if (kind === LIST_VALUE) return listValueToJson(v);
  return fromWire(rt, v);
}

/** Post-processes `type.toObject(msg, TO_OBJECT_OPTIONS)` output in place and returns it. */
export function fromWire(type: protobuf.Type, obj: unknown): unknown {
  if (!isRecord(obj) || !walkNeeded(type)) return obj;
  if (kindOf(type) !== 'message') return valueFromWire(type, obj);
  const table = fieldTable(type);
  for (const key of Object.keys(obj)) {
    const info = table.get(key);
    const rt = info?.message;
    if (!info || !rt || !walkNeeded(rt)) continue;
    const value = obj[key];
    if (info.map && isRecord(value)) {
      for (const k of Object.keys(value)) value[k] = valueFromWire(rt, value[k]);
    } else if (info.repeated && Array.isArray(value)) {
      obj[key] = value.map((item) => valueFromWire(rt, item));
    } else {
      obj[key] = valueFromWire(rt, value);
    }
  }
  return obj;
}
