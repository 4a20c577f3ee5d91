/**
 * plain object -> object ready for protobufjs Type.fromObject, strict where protobufjs is lax:
 *  - an unknown (e.g. misspelt or snake_case) field name throws instead of being dropped;
 *  - an unknown enum name throws instead of being dropped;
 *  - two members of one oneof throw instead of the last one silently winning on the peer;
 *  - an Any given as { '@type', ...fields } is encoded here, and throws if its type is not loaded
 *    (protobufjs would pack an empty Any; its own Any wrapper writes `type_url`, see reflect.ts);
 *  - Struct / Value / ListValue fields are given as plain JSON.
 * An Any given as exactly { '@type', '@value': base64 | bytes } is passed through verbatim (this is
 * how an Any of a type that is not loaded decodes), so unknown extensions can be relayed.
 */
import type * as protobuf from 'protobufjs';
import { findType } from './proto-root';
import { anyFieldNames, FieldPath, fieldTable, isJsonWkt, isRecord, kindOf, LIST_VALUE, STRUCT, type FieldInfo, type JsonWkt } from './reflect';
import { jsonToListValue, jsonToStruct, jsonToValue } from './struct';

function jsonWktToWire(kind: JsonWkt, v: unknown, path: FieldPath): unknown {
  if (kind === STRUCT) {
    if (!isRecord(v)) throw path.error('google.protobuf.Struct expects a plain JSON object');
    return jsonToStruct(v);
  }
  if (kind === LIST_VALUE) {
    if (!Array.isArray(v)) throw path.error('google.protobuf.ListValue expects an array');
    return jsonToListValue(v);
  }
  return jsonToValue(v);
}

/** Encodes an Any given as { '@type', ...fields } (or already as { typeUrl | type_url, value }). */
function anyToWire(anyType: protobuf.Type, v: unknown, path: FieldPath): Record<string, unknown> {
  if (!isRecord(v)) throw path.error('google.protobuf.Any expects an object');
  const names = anyFieldNames(anyType);
  const typeUrl = v['@type'];
  if (typeUrl === undefined) {
    const raw = v['typeUrl'] ?? v['type_url'];
    if (typeof raw === 'string' && (v['value'] === undefined || v['value'] instanceof Uint8Array)) {
      return { [names.typeUrl]: raw, [names.value]: v['value'] ?? new Uint8Array(0) };
    }
    throw path.error("google.protobuf.Any needs an '@type'");
  }
  if (typeof typeUrl !== 'string' || !typeUrl.includes('/')) {
    throw path.error(`invalid Any '@type' ${JSON.stringify(typeUrl)}: expected a type URL`);
  }
  if ('@value' in v && Object.keys(v).length === 2) {
    const raw = v['@value'];
    if (typeof raw === 'string') return { [names.typeUrl]: typeUrl, [names.value]: Buffer.from(raw, 'base64') };
    if (raw instanceof Uint8Array) return { [names.typeUrl]: typeUrl, [names.value]: raw };
    throw path.error("Any '@value' must be base64 or bytes");
  }
  path.push(`<${typeUrl}>`);
  const value = encodeWithPath(typeUrl, v, path);
  path.pop();
  return { [names.typeUrl]: typeUrl, [names.value]: value };
}

function encodeWithPath(typeUrl: string, body: unknown, path: FieldPath): Uint8Array {
  const type = findType(typeUrl);
  if (!type) throw path.error(`unknown type URL ${JSON.stringify(typeUrl)}: message type not loaded`);
  const kind = kindOf(type);
  // proto3 JSON form of a Struct/Value/ListValue inside an Any: { '@type', value: <json> }.
  const wire = isJsonWkt(kind) ? jsonWktToWire(kind, isRecord(body) ? body['value'] : body, path) : messageToWire(type, body, path);
  return type.encode(type.fromObject(wire as Record<string, unknown>)).finish();
}

/** Encodes body as the message named by typeUrl; '@type' in body is ignored. Throws if unknown. */
export function encodeMessage(typeUrl: string, body: unknown): Uint8Array {
  return encodeWithPath(typeUrl, body, new FieldPath());
}

function valueToWire(info: FieldInfo, v: unknown, path: FieldPath): unknown {
  const message = info.message;
  if (message) {
    const kind = info.kind;
    if (kind === 'message') return messageToWire(message, v, path);
    if (kind === '.google.protobuf.Any') return anyToWire(message, v, path);
    return jsonWktToWire(kind as JsonWkt, v, path);
  }
  const e = info.enumType;
  if (e) {
    if (typeof v === 'string') {
      if (!(v in e.values)) throw path.error(`unknown ${e.fullName.slice(1)} enum value ${JSON.stringify(v)}`);
    } else if (typeof v !== 'number') {
      throw path.error(`enum ${e.fullName.slice(1)} expects a name or a number`);
    }
    return v;
  }
  if (isRecord(v)) throw path.error(`field of type ${info.protoType} got an object`);
  return v;
}

/** ' (did you mean "x"?)' for a field differing only in case/underscores (snake_case, consecutive5xx). */
function suggest(type: protobuf.Type, key: string): string {
  const norm = (k: string): string => k.replace(/_/g, '').toLowerCase();
  const match = type.fieldsArray.find((f) => norm(f.name) === norm(key));
  return match ? ` (did you mean ${JSON.stringify(match.name)}?)` : '';
}

function messageToWire(type: protobuf.Type, v: unknown, path: FieldPath): Record<string, unknown> {
  if (!isRecord(v)) throw path.error(`${type.fullName.slice(1)} expects an object`);
  const table = fieldTable(type);
  const out: Record<string, unknown> = {};
  let oneofs: Record<string, string> | undefined;
  for (const key of Object.keys(v)) {
    const value = v[key];
    if (value === undefined || key === '@type') continue;
    const info = table.get(key);
    path.push(key);
    if (!info) throw path.error(`unknown field ${JSON.stringify(key)} for ${type.fullName.slice(1)}${suggest(type, key)}`);
    if (value !== null) {
      if (info.oneof !== undefined) {
        oneofs ??= {};
        const other = oneofs[info.oneof];
        if (other !== undefined) throw path.error(`fields ${other} and ${key} are both members of oneof ${info.oneof}`);
        oneofs[info.oneof] = key;
      }
      if (info.map) {
        if (!isRecord(value)) throw path.error('map field expects an object');
        const m: Record<string, unknown> = {};
        for (const k of Object.keys(value)) {
          const mv = value[k];
          if (mv === undefined) continue;
          path.push(`[${JSON.stringify(k)}]`);
          m[k] = valueToWire(info, mv, path);
          path.pop();
        }
        out[key] = m;
      } else if (info.repeated) {
        if (!Array.isArray(value)) throw path.error('repeated field expects an array');
        const arr = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) {
          path.push(i);
          arr[i] = valueToWire(info, value[i], path);
          path.pop();
        }
        out[key] = arr;
      } else {
        out[key] = valueToWire(info, value, path);
      }
    }
    path.pop();
  }
  return out;
}

/** Validates and converts a plain object for `type.fromObject`. */
export function toWire(type: protobuf.Type, v: unknown): Record<string, unknown> {
  return messageToWire(type, v, new FieldPath());
}
